# The runtime's drm backend (runtime/backend/backend_drm.c, drm_device.c):
# compiled into libqaccel when pkg-config finds libdrm (libdrm-dev, in
# scripts/deps.sh), which then defines QACCEL_HAVE_DRM for the backend
# sources and links -ldrm wherever libqaccel is linked. Without libdrm the
# files compile to nothing and the drm backend says it is not built in.
# Found means: pkg-config knows libdrm and $(CC) links a program with it
# (a cross compiler, as in mk/53-arm64.mk, may lack the target's libdrm).
DRM_PC_CFLAGS := $(shell pkg-config --cflags libdrm 2>/dev/null)
DRM_PC_LIBS := $(shell pkg-config --libs libdrm 2>/dev/null)
DRM_FOUND := $(if $(DRM_PC_LIBS),$(if $(shell printf '\043include <xf86drm.h>\nint \
	main(void) { return drmAvailable(); }\n' | $(CC) -x c - $(DRM_PC_CFLAGS) \
	$(DRM_PC_LIBS) -o /dev/null 2>/dev/null && echo y),yes,no),no)
ifeq ($(DRM_FOUND),yes)
DRM_CFLAGS := -DQACCEL_HAVE_DRM $(DRM_PC_CFLAGS)
DRM_LIBS := $(DRM_PC_LIBS)
# For static programs (the VM has no libc): libdrm's own dependencies too.
DRM_STATIC_LIBS := $(shell pkg-config --libs --static libdrm)
QACCEL_PC_REQUIRES += libdrm
endif

$(BUILD)/obj/runtime/backend/%.o: ALL_CFLAGS += $(DRM_CFLAGS)
$(BUILD)/san/runtime/backend/%.o: SAN_CFLAGS += $(DRM_CFLAGS)
RT_LDLIBS += $(DRM_LIBS)
UNIT_LIBS += $(DRM_LIBS)
UNIT_SAN_LIBS += $(DRM_LIBS)
UNIT_CFLAGS += $(DRM_CFLAGS)

# Whether libdrm was found is part of the backend objects' recipe: a
# stamp per answer, so that installing libdrm later rebuilds them.
DRM_STAMP := $(BUILD)/config/drm-$(DRM_FOUND)
$(filter $(BUILD)/obj/runtime/backend/% $(BUILD)/san/runtime/backend/%, \
	$(RT_OBJS) $(RT_SAN_OBJS)): $(DRM_STAMP)

$(DRM_STAMP):
	@mkdir -p $(@D)
	@rm -f $(BUILD)/config/drm-*
	@touch $@
$(BUILD)/qaccel.pc: $(DRM_STAMP)

# No device on the build machine: --backend drm fails clearly, auto falls back.
CHECK_TESTS += tests/tool/test-drm-cli.sh
