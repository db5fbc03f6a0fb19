#!/bin/sh
# Seeds a fuzz corpus directory with the small golden models.
find tests/golden/models -name '*.tflite' -size -64k -exec cp {} "$1"/ \;
