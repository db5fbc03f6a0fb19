#!/bin/sh
# Seeds a fuzz corpus directory with the small golden .npy files.
find tests/golden/models -name '*.npy' -size -16k -exec cp {} "$1"/ \;
