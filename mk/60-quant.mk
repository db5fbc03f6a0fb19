# The post-training quantizer (runtime/quant/) goes into libqaccel, and the
# `qaccel quantize` command (runtime/tool/quantize_cmd.c) into the tool.
# The library recipes link $^, so extra prerequisites are extra members.
QUANT_SRCS := $(sort $(wildcard runtime/quant/*.c))
QUANT_OBJS := $(QUANT_SRCS:%.c=$(BUILD)/obj/%.o)
QUANT_SAN_OBJS := $(QUANT_SRCS:%.c=$(BUILD)/san/%.o)

$(LIBQACCEL) $(LIBQACCEL_SO): $(QUANT_OBJS)
$(LIBQACCEL_SAN): $(QUANT_SAN_OBJS)

-include $(QUANT_OBJS:.o=.d) $(QUANT_SAN_OBJS:.o=.d)

# The tool's recipe links $(LIBQACCEL) after qaccel.c; the command's object
# goes in front of the library for it (and of the sanitizer library for
# build/san/qaccel).
QUANT_CMD_OBJ := $(BUILD)/obj/runtime/tool/quantize_cmd.o
QUANT_CMD_SAN_OBJ := $(BUILD)/san/runtime/tool/quantize_cmd.o
$(QACCEL_TOOL): $(QUANT_CMD_OBJ)
$(QACCEL_TOOL): LIBQACCEL := $(QUANT_CMD_OBJ) $(LIBQACCEL)
$(BUILD)/san/qaccel: $(QUANT_CMD_SAN_OBJ)
$(BUILD)/san/qaccel: LIBQACCEL_SAN := $(QUANT_CMD_SAN_OBJ) $(LIBQACCEL_SAN)
-include $(QUANT_CMD_OBJ:.o=.d) $(QUANT_CMD_SAN_OBJ:.o=.d)
