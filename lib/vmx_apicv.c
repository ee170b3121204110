/* SPDX-License-Identifier: MIT */
/* The APIC-virtualization and VMCS-shadowing rules' expectations: see vmx_apicv.h. */
#include "lib/vmx_apicv.h"

/* At most 32 bits, within the low 4 bytes of a naturally aligned 16-byte region. */
static bool apic_access_shape_ok(unsigned offset, unsigned size)
{
	return size && size <= 4 && (offset & 0xf) + size <= 4 && offset < 0x1000;
}

bool apic_read_virtualized(unsigned offset, unsigned size, bool register_virt)
{
	unsigned reg = offset & ~0xfu;

	if (!apic_access_shape_ok(offset, size))
		return false;
	if (!register_virt)
		return reg == APIC_TASKPRI;
	switch (reg) {
	case 0x020: case 0x030: case 0x080: case 0x0b0: case 0x0d0: case 0x0e0: case 0x0f0:
	case 0x280: case 0x300: case 0x310: case 0x320: case 0x330: case 0x340: case 0x350:
	case 0x360: case 0x370: case 0x380: case 0x3e0:
		return true;
	}
	return reg >= APIC_ISR && reg <= APIC_IRR + 0x70;      /* ISR, TMR, IRR */
}

bool apic_write_virtualized(unsigned offset, unsigned size, bool register_virt, bool vid)
{
	unsigned reg = offset & ~0xfu;

	if (!apic_access_shape_ok(offset, size))
		return false;
	if (reg == APIC_TASKPRI)
		return true;
	if (vid && (reg == APIC_EOI || reg == 0x300))
		return true;
	if (!register_virt)
		return false;
	switch (reg) {
	case 0x020: case 0x0b0: case 0x0d0: case 0x0e0: case 0x0f0: case 0x280: case 0x300:
	case 0x310: case 0x320: case 0x330: case 0x340: case 0x350: case 0x360: case 0x370:
	case 0x380: case 0x3e0:
		return true;
	}
	return false;
}

enum apic_write_emulation apic_write_emulation(unsigned offset, bool vid)
{
	switch (offset & ~0xfu) {
	case APIC_TASKPRI:
		return APIC_EMUL_TPR;
	case APIC_EOI:
		return vid ? APIC_EMUL_EOI : APIC_EMUL_EXIT;
	case 0x300:
		return vid ? APIC_EMUL_ICR_LOW : APIC_EMUL_EXIT;
	case 0x310:
		return APIC_EMUL_NONE;
	}
	return APIC_EMUL_EXIT;
}

uint64_t apic_access_qualification(unsigned offset, unsigned access_type)
{
	return (offset & 0xfff) | (uint64_t)(access_type & 0xf) << 12;
}

uint32_t vtpr_after_apic_write(uint32_t value)
{
	return value & 0xff;
}

uint8_t vppr_virtualized(uint8_t vtpr, uint8_t svi)
{
	return (vtpr >> 4) >= (svi >> 4) ? vtpr : (uint8_t)(svi & 0xf0);
}

/* The highest vector set in a 256-bit APIC vector register, 0 if none. */
static uint8_t highest_vector(const uint32_t reg[8])
{
	for (int i = 255; i > 0; i--)
		if (reg[i / 32] & (1u << (i % 32)))
			return (uint8_t)i;
	return 0;
}

uint16_t intr_status_after_delivery(uint16_t status, uint8_t vtpr, const uint32_t virr[8])
{
	uint8_t rvi = status & 0xff, svi = status >> 8;
	uint32_t left[8];

	if ((rvi >> 4) <= (vppr_virtualized(vtpr, svi) >> 4))
		return status;
	for (unsigned i = 0; i < 8; i++)
		left[i] = virr[i];
	left[rvi / 32] &= ~(1u << (rvi % 32));
	return (uint16_t)(rvi << 8 | highest_vector(left));
}

uint16_t intr_status_after_eoi(uint16_t status, const uint32_t visr[8])
{
	uint8_t svi = status >> 8;
	uint32_t left[8];

	for (unsigned i = 0; i < 8; i++)
		left[i] = visr[i];
	left[svi / 32] &= ~(1u << (svi % 32));
	return (uint16_t)(highest_vector(left) << 8 | (status & 0xff));
}

bool eoi_exits(const uint64_t eoi_exit_bitmap[4], uint8_t vector)
{
	return eoi_exit_bitmap[vector / 64] & (1ull << (vector % 64));
}

bool vmcs_shadow_access_exits(const uint8_t *bitmap, uint64_t field)
{
	if (field >> 15)
		return true;
	return bitmap[field / 8] & (1u << (field % 8));
}
