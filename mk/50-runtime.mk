# libqaccel (static and shared) and the qaccel tool. The library holds the
# reference engine too, so applications link one library.
RT_SRCS := $(sort $(wildcard runtime/core/*.c runtime/backend/*.c \
	runtime/compiler/*.c runtime/model/*.c runtime/io/*.c))
RT_OBJS := $(RT_SRCS:%.c=$(BUILD)/obj/%.o)
RT_SAN_OBJS := $(RT_SRCS:%.c=$(BUILD)/san/%.o)
LIBQACCEL := $(BUILD)/libqaccel.a
LIBQACCEL_SO := $(BUILD)/libqaccel.so
LIBQACCEL_SAN := $(BUILD)/san/libqaccel.a
QACCEL_TOOL := $(BUILD)/qaccel
RT_LDLIBS := -lm -lpthread

ALL_TARGETS += $(LIBQACCEL) $(LIBQACCEL_SO) $(QACCEL_TOOL) $(BUILD)/qaccel.pc
UNIT_LIBS += $(LIBQACCEL)
UNIT_SAN_LIBS += $(LIBQACCEL_SAN)

$(LIBQACCEL): $(RT_OBJS) $(REF_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIBQACCEL_SAN): $(RT_SAN_OBJS) $(REF_SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIBQACCEL_SO): $(RT_OBJS) $(REF_OBJS)
	$(CC) -shared -Wl,-soname,libqaccel.so.0 -Wl,--no-undefined $^ $(RT_LDLIBS) -o $@

$(QACCEL_TOOL): runtime/tool/qaccel.c $(LIBQACCEL)
	$(CC) $(ALL_CFLAGS) $< $(LIBQACCEL) $(RT_LDLIBS) -o $@

$(BUILD)/san/qaccel: runtime/tool/qaccel.c $(LIBQACCEL_SAN)
	$(CC) $(SAN_CFLAGS) $< $(LIBQACCEL_SAN) $(RT_LDLIBS) -o $@

PREFIX ?= /usr/local
# Regenerated whenever PREFIX changes (the stamp records it).
$(BUILD)/qaccel.pc: mk/50-runtime.mk $(BUILD)/prefix-$(subst /,_,$(PREFIX))
	@mkdir -p $(@D)
	printf 'prefix=%s\nlibdir=$${prefix}/lib\nincludedir=$${prefix}/include\n\nName: qaccel\nDescription: int8 inference on the qaccel accelerator, OpenCL or CPU\nVersion: 0.1\nLibs: -L$${libdir} -lqaccel\nLibs.private: -lm -lpthread\nRequires.private: %s\nCflags: -I$${includedir}\n' '$(PREFIX)' '$(QACCEL_PC_REQUIRES)' > $@

$(BUILD)/prefix-%:
	@mkdir -p $(@D)
	@rm -f $(BUILD)/prefix-*
	@touch $@

PHONY += install
install: $(LIBQACCEL) $(LIBQACCEL_SO) $(QACCEL_TOOL) $(BUILD)/qaccel.pc
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(LIBQACCEL) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIBQACCEL_SO) $(DESTDIR)$(PREFIX)/lib/libqaccel.so.0
	ln -sf libqaccel.so.0 $(DESTDIR)$(PREFIX)/lib/libqaccel.so
	install -m 644 runtime/include/qaccel.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(BUILD)/qaccel.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 755 $(QACCEL_TOOL) $(DESTDIR)$(PREFIX)/bin/

-include $(RT_OBJS:.o=.d) $(RT_SAN_OBJS:.o=.d)

# Unit tests link the runtime too (model reader, .npy, compiler tests).
$(UNIT_BINS): $(LIBQACCEL)
$(UNIT_SAN_BINS): $(LIBQACCEL_SAN)

# The tool as a user meets it.
CHECK_TESTS += tests/tool/test-cli.sh
check-prep: $(QACCEL_TOOL)
