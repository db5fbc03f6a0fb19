#!/usr/bin/env python3
"""Rewrite a qaccel OpenCL cache entry so that its header, key and checksum
are all valid but the binary is garbage: only the driver can refuse it.
Layout (runtime/backend/opencl/cl_program.c): magic[8], key_len u32,
reserved u32, bin_len u64, bin_hash u64 (FNV-1a 64 of the binary), key,
binary."""
import random
import struct
import sys


def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


path = sys.argv[1]
with open(path, 'rb') as f:
    raw = f.read()
magic, key_len, reserved, bin_len, _ = struct.unpack_from('<8sIIQQ', raw)
key = raw[32:32 + key_len]
rng = random.Random(1)
binary = bytes(rng.randrange(256) for _ in range(min(bin_len, 4096)))
with open(path, 'wb') as f:
    f.write(struct.pack('<8sIIQQ', magic, key_len, reserved, len(binary),
                        fnv1a(binary)))
    f.write(key)
    f.write(binary)
