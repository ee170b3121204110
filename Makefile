# SPDX-License-Identifier: MIT
# vmxprobe build. Tools can be overridden: make CROSS=x86_64-elf- (or CC=..., LD=...).
CROSS     ?=
CC        := $(CROSS)gcc
HOSTCC    ?= cc
BUILD     ?= build
VERSION   := 0.1.0
MAX_CPUS  ?= 512
# 1 adds a Multiboot 1 header (boot/header.S), for the wrong-boot-protocol test
# case only: QEMU's -kernel refuses an x86-64 ELF that carries one.
TEST_MB1_HEADER ?= 0
# 1 leaves out the Multiboot2 relocatable tag (boot/header.S), for the
# kernel-on-firmware-memory test case only: GRUB then loads it at 16 MiB.
TEST_FIXED_ADDR ?= 0
# vmxprobe.efi's preferred load address (the PE's ImageBase): where the firmware
# puts it when that memory is free. Tests set one above 4 GiB to see the image
# move itself below (kernel/efi.c).
EFI_BASE ?= 0x10000000

ELF       := $(BUILD)/vmxprobe.elf
EFI       := $(BUILD)/vmxprobe.efi
ISO       := $(BUILD)/vmxprobe.iso
NETBOOT   := $(BUILD)/netboot

# Freestanding flags (the Limine C template's set, plus warnings as errors). -Os: the
# kernel waits on hardware, not on its own code, and -Os keeps its code (.text) at
# about 50 KiB where -O2 makes it 67 KiB (make bench prints the sizes).
override KCFLAGS := -std=gnu11 -Os -g -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -fno-stack-protector -fno-stack-check \
	-fpie -include lib/hidden.h -fno-lto -fno-tree-loop-distribute-patterns \
	-fno-asynchronous-unwind-tables -fcf-protection=none \
	-m64 -march=x86-64 -mno-80387 -mno-mmx -mno-sse -mno-sse2 -mno-red-zone \
	-mcmodel=small -Wa,--noexecstack -I. -MMD -MP \
	-DVP_VERSION='"$(VERSION)"' -DMAX_CPUS=$(MAX_CPUS) \
	-DTEST_MB1_HEADER=$(TEST_MB1_HEADER) -DTEST_FIXED_ADDR=$(TEST_FIXED_ADDR)
override KLDFLAGS := -nostdlib -static-pie -z max-page-size=0x1000 -z notext \
	-Wl,--build-id=none -Wl,--no-dynamic-linker -Wl,--hash-style=gnu -Wl,-T,linker.ld

KSRC := $(wildcard boot/*.S arch/*.S arch/*.c kernel/*.c lib/*.c)
KOBJ := $(patsubst %,$(BUILD)/k/%.o,$(KSRC))

.PHONY: all efi sign esp iso netboot run usb test test-boot test-slow deps-slow test-unit test-structure fuzz bench clean deps-build deps-iso deps-test
all: $(ELF) $(EFI)

# The objects depend on the toolchain and the flags: $(FLAGS) holds the compiler's
# version line and the command lines, rewritten only when they change, so that
# make CROSS=... (or a new gcc) after a native build rebuilds everything.
FLAGS := $(BUILD)/k/flags
flags_now := $(CC) $(shell $(CC) --version 2>/dev/null | head -n 1) $(KCFLAGS) $(KLDFLAGS)
ifneq ($(flags_now),$(file <$(FLAGS)))
$(shell mkdir -p $(BUILD)/k)
$(file >$(FLAGS),$(flags_now))
endif

# deps-build (order-only) runs first: it installs the compiler where it is missing.
$(BUILD)/k/%.c.o: %.c Makefile $(FLAGS) | deps-build
	@mkdir -p $(dir $@)
	@echo '  CC   $<'
	@$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/k/%.S.o: %.S Makefile $(FLAGS) | deps-build
	@mkdir -p $(dir $@)
	@echo '  AS   $<'
	@$(CC) $(KCFLAGS) -D__ASSEMBLER__ -c $< -o $@

# The pool segment (linker.ld) must hold .pool alone: an input section the script
# does not name (a new .bss.* say) could land there, and no loader zeroes it.
$(ELF): $(KOBJ) linker.ld $(FLAGS)
	@echo '  LD   $@'
	@$(CC) $(KCFLAGS) $(KLDFLAGS) $(KOBJ) -o $@
	@$(CROSS)readelf -lW $@ | grep -Eq '^ +[0-9]+ +\.pool *$$' || \
		{ echo "$@: the pool segment holds more than .pool (readelf -lW $@): name the new section in linker.ld"; rm -f $@; exit 1; }

# vmxprobe.efi, the UEFI application: the same objects as a PE32+ (efi.ld). ld's
# PE options: subsystem 10 (EFI application); relocatable (DYNAMIC_BASE), the
# .reloc it builds from the objects' absolute relocations; NX-compatible, which
# holds because every section is W^X (tools/pecheck.py checks both).
efi: $(EFI)
$(EFI): $(KOBJ) efi.ld $(FLAGS)
	@echo '  LD   $@'
	@! $(CROSS)readelf -rW $(KOBJ) | grep -E 'GOTPCREL|GOTOFF|PLTOFF' || \
		{ echo "$@: an object reaches a symbol through the GOT, which the PE link cannot build (lib/hidden.h)"; exit 1; }
	@$(CROSS)ld -m i386pep --subsystem 10 --image-base $(EFI_BASE) \
		--file-alignment 0x200 --section-alignment 0x1000 \
		--dynamicbase --nxcompat --no-insert-timestamp --strip-all -e efi_main \
		-T efi.ld $(KOBJ) -o $@
	@$(PYTHON) tools/pecheck.py $@ > $@.check || { cat $@.check; rm -f $@; exit 1; }

iso: $(ISO)
$(ISO): $(ELF) $(EFI) iso/grub.cfg iso/mkiso.sh iso/menu-modules.sh | deps-iso
	@echo '  ISO  $@'
	@EFI_APP=$(EFI) OBJCOPY=$(CROSS)objcopy bash iso/mkiso.sh $(ELF) $@

# A TFTP root for BIOS and UEFI PXE clients (iso/mknetdir.sh; docs/booting.md "Network boot (PXE)").
netboot: $(NETBOOT)/boot/vmxprobe.elf
$(NETBOOT)/boot/vmxprobe.elf: $(ELF) iso/grub.cfg iso/mknetdir.sh iso/menu-modules.sh | deps-iso
	@echo '  NET  $(NETBOOT)/'
	@OBJCOPY=$(CROSS)objcopy bash iso/mknetdir.sh $(ELF) $(NETBOOT)

# Boot the ISO in QEMU (KVM when /dev/kvm works, TCG otherwise), serial on the
# terminal; the verdict is read from the serial log (iso/run.sh, docs/booting.md).
# BOOT=direct: QEMU -kernel (PVH), no GRUB: seconds instead of a minute under nested KVM.
# BOOT=efi: vmxprobe.efi from a disk image (iso/mkesp.sh) under OVMF, no GRUB; APPEND
# reaches it through the UEFI Shell's startup.nsh.
# APPEND="...": the kernel command line; with the ISO, a copy of it whose menu passes
# those options (iso/append-cfg.sh), $(BUILD)/vmxprobe-append.iso.
BOOT ?= iso
APPEND ?=
export APPEND
APPEND_ISO := $(BUILD)/vmxprobe-append.iso
run:
ifeq ($(BOOT),direct)
	@bash .ci/deps.sh build run
	$(MAKE) $(ELF)
	bash iso/run.sh $(ELF)
else ifeq ($(BOOT),iso)
	@bash .ci/deps.sh build iso run
	$(MAKE) iso
ifeq ($(strip $(APPEND)),)
	bash iso/run.sh $(ISO)
else
	@bash iso/append-cfg.sh "$$APPEND" > $(BUILD)/append.cfg
	@echo '  ISO  $(APPEND_ISO) (APPEND=$(APPEND))'
	@EFI_APP=$(EFI) OBJCOPY=$(CROSS)objcopy bash iso/mkiso.sh $(ELF) $(APPEND_ISO) $(BUILD)/append.cfg
	bash iso/run.sh $(APPEND_ISO)
endif
else ifeq ($(BOOT),efi)
	@bash .ci/deps.sh build run sign
	$(MAKE) $(EFI)
	@bash iso/mkesp.sh $(if $(strip $(APPEND)),--startup "$$APPEND") $(BUILD)/vmxprobe-run.img $(EFI)
	bash iso/run.sh $(BUILD)/vmxprobe-run.img
else
	@echo "make run: BOOT=$(BOOT) is not known: use BOOT=iso (the default), BOOT=direct or BOOT=efi" >&2; exit 2
endif

# The system's Python, which sees the Debian packages .ci/deps.sh installs (pytest,
# pytest-xdist, lxml, lava-common), even where another python3 comes first on PATH.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
export PYTHONDONTWRITEBYTECODE := 1
PYTEST := $(PYTHON) -m pytest -p no:cacheprovider -rs
# The boot cases of tests/boot/cases under pytest (tests/boot/conftest.py), two at a
# time; K= selects cases by name (pytest -k), e.g. make test-boot K=direct.
BOOT_ARGS = --iso $(ISO) --elf $(ELF) --efi $(EFI) --netboot $(NETBOOT) $(if $(K),-k '$(K)')

# Host unit tests (ASan + UBSan), the PE checker's and the variable-store writer's
# tests (tests/unit/test_pecheck.py, tests/uefi), the structure check, the `make usb`
# refusals, the boot cases, then the results reader's tests, `make run`'s verdict
# (tests/run), and the LAVA jobs (LAVA's schema); the reader and LAVA also over every
# boot case's log. Each part leaves its results as JUnit XML in $(BUILD)/junit/
# (pytest's --junitxml; tests/junit.py for the others).
JUNIT := $(PYTHON) tests/junit.py
test: deps-test
	$(MAKE) iso netboot efi
	$(JUNIT) $(BUILD)/junit/unit.xml unit -- $(MAKE) -s test-unit
	$(PYTEST) -q tests/unit/test_pecheck.py tests/uefi --junitxml=$(BUILD)/junit/uefi-tools.xml
	$(JUNIT) $(BUILD)/junit/structure.xml structure -- $(MAKE) -s test-structure
	$(JUNIT) $(BUILD)/junit/usb.xml usb -- bash tests/usb/test_usb.sh $(ISO)
	$(PYTEST) -v -n 2 tests/boot $(BOOT_ARGS) --junitxml=$(BUILD)/junit/boot.xml
	@bash .ci/deps.sh browser || echo "test: Chromium cannot be installed here: the fleet page's browser tests will say SKIP"
	$(PYTEST) -q tests/log --junitxml=$(BUILD)/junit/log.xml
	$(PYTEST) -q tests/run --junitxml=$(BUILD)/junit/run.xml
	$(JUNIT) $(BUILD)/junit/lava.xml lava -- $(PYTHON) tests/lava/check_jobs.py $(BUILD)/test/logs

test-boot: deps-test
	$(MAKE) iso netboot efi
	$(PYTEST) -v -n 2 tests/boot $(BOOT_ARGS)

# Write the ISO to a USB stick, with a guard (iso/usb.sh): make usb DEV=/dev/sdX.
# SECUREBOOT=1: the Secure Boot disk image instead (make esp SECUREBOOT=1, below).
SECUREBOOT ?=
ifeq ($(SECUREBOOT),1)
usb: esp
	bash iso/usb.sh $(SB_IMG) "$(DEV)"
else
usb: iso
	bash iso/usb.sh $(ISO) "$(DEV)"
endif

# Secure Boot (docs/secure-boot.md). KEY and CERT are your signing key and its
# certificate (PEM); never a key from this repository: it holds none.
#   make sign KEY=... CERT=...   vmxprobe.efi signed with it (sbsign): $(SIGNED)
#   make esp                     a disk image (GPT, one EFI System Partition) whose
#                                \EFI\BOOT\BOOTX64.EFI is vmxprobe.efi, signed when KEY
#                                is given (a key in the firmware's db): $(ESP_IMG)
#   make esp SECUREBOOT=1 KEY=... CERT=...
#                                Debian's Microsoft-signed shim as BOOTX64.EFI, its
#                                MokManager, vmxprobe.efi signed as grubx64.efi, and the
#                                certificate to enrol (\vmxprobe.cer): $(SB_IMG)
KEY ?=
CERT ?=
SIGNED := $(BUILD)/vmxprobe-signed.efi
ESP_IMG := $(BUILD)/vmxprobe-esp.img
SB_IMG := $(BUILD)/vmxprobe-sb.img
goal = $(or $(firstword $(MAKECMDGOALS)),$@)
need_key = @[ -n "$(KEY)" ] && [ -n "$(CERT)" ] || { echo "make $(goal): name your signing key and certificate: make $(goal)$(if $(filter 1,$(SECUREBOOT)), SECUREBOOT=1) KEY=db.key CERT=db.crt$(if $(filter usb,$(goal)), DEV=/dev/sdX) (docs/secure-boot.md says how to make and enrol one)" >&2; exit 2; }
sign:
	$(need_key)
	@bash .ci/deps.sh build sign
	@$(MAKE) -s $(EFI)
	sbsign --key "$(KEY)" --cert "$(CERT)" --output $(SIGNED) $(EFI)
	@$(PYTHON) tools/pecheck.py --expect-signed $(SIGNED) > $(SIGNED).check || { cat $(SIGNED).check; exit 1; }
ifeq ($(SECUREBOOT),1)
esp: sign
	bash iso/mkesp.sh --shim "$(CERT)" $(SB_IMG) $(SIGNED)
else
esp:
	@bash .ci/deps.sh build sign
	@$(MAKE) -s $(EFI)
	$(if $(KEY),@$(MAKE) -s sign && bash iso/mkesp.sh $(ESP_IMG) $(SIGNED),bash iso/mkesp.sh $(ESP_IMG) $(EFI))
endif

# Slow boot cases (tests/boot/slow-cases): KVM with 288 CPUs, x2APIC hand-over; then
# the LAVA QEMU jobs (ISO and kernel) end to end with LAVA's own dispatcher, lava-run
# (Debian's lava-dispatcher, a large install: only here).
test-slow: deps-slow
	$(MAKE) iso netboot efi
	$(PYTEST) -v tests/boot $(BOOT_ARGS) --cases tests/boot/slow-cases
	sh tests/lava/run_lava_qemu.sh $(ISO)
	sh tests/lava/run_lava_qemu.sh $(ELF)

# Boot-to-verdict (side by side with kvm-unit-tests' smptest) and bring-up benchmark
# (a script, not a test): see tests/bench/bench.py.
bench: deps-test
	$(MAKE) iso
	python3 tests/bench/bench.py --iso $(ISO) --elf $(ELF) --cross '$(CROSS)'

UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -DVP_HOST_TEST -DMAX_CPUS=$(MAX_CPUS) \
	-DTEST_DATA_DIR='"$(CURDIR)/tests/unit/data"' \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_TESTS := $(patsubst tests/unit/test_%.c,$(BUILD)/unit/test_%,$(wildcard tests/unit/test_*.c))

# What a unit test links comes from its includes: each lib/x.h it includes brings
# lib/x.c (when there is one), and so on through the "lib/..." includes of those files,
# until nothing new turns up. A test depends on exactly the files found.
hash := \#
lib_includes = $(shell sed -n 's|^[[:space:]]*$(hash)[[:space:]]*include[[:space:]]*"\(lib/[^"]*\)".*|\1|p' $(1))
lib_step = $(sort $(1) $(wildcard $(foreach f,$(call lib_includes,$(1)),$(f) $(f:.h=.c))))
lib_fixed = $(if $(filter-out $(1),$(2)),$(call lib_closure,$(2)),$(1))
lib_closure = $(call lib_fixed,$(1),$(call lib_step,$(1)))

.SECONDEXPANSION:
$(BUILD)/unit/test_%: $(wildcard tests/unit/*.h) $$(call lib_closure,tests/unit/test_$$*.c) \
		tests/unit/data/* Makefile
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) tests/unit/test_$*.c $(filter lib/%.c,$^) -o $@ -lpthread

test-unit: $(UNIT_TESTS)
	@bash tests/unit/run.sh $(UNIT_TESTS)

# The layout rules (tests/structure/check.py): arch/ does not include kernel/, lib/
# includes only lib/ and freestanding C headers, no include cycle, and no duplicated
# code beyond tests/structure/duplicates-allowed (SKIP where `duplicates` is missing).
test-structure:
	@python3 -B tests/structure/check.py

# Fuzz each parser of firmware input (tests/fuzz/fuzz_*.c) with libFuzzer, one after
# another, for FUZZ_SECONDS each (default 60).
FUZZ_SECONDS ?= 60
fuzz:
	@bash .ci/deps.sh fuzz
	@bash tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

deps-build:
	@bash .ci/deps.sh build
deps-iso:
	@bash .ci/deps.sh build iso
deps-test:
	@bash .ci/deps.sh test
deps-slow:
	@bash .ci/deps.sh slow

clean:
	rm -rf $(BUILD)

-include $(KOBJ:.o=.d)
