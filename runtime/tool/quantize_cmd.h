/* SPDX-License-Identifier: MIT */
/* `qaccel quantize`: argv after the subcommand name. */
#ifndef QACCEL_QUANTIZE_CMD_H
#define QACCEL_QUANTIZE_CMD_H

#define QUANTIZE_USAGE \
	"       qaccel quantize FLOAT.tflite --calib X.npy|DIR -o INT8.tflite\n" \
	"                  [--method mse|minmax|percentile:P|entropy] [--per-tensor]\n" \
	"                  [--io int8|float] [--max-samples N] [--report FILE]\n"

/* 0 done, 1 bad input or failure (message on stderr), 2 bad usage. */
int cmd_quantize(int argc, char **argv);

#endif /* QACCEL_QUANTIZE_CMD_H */
