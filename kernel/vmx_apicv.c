/* SPDX-License-Identifier: MIT */
/*
 * selftest=vmx: the rules of APIC virtualization and VMCS shadowing, on every
 * CPU whose VMXON works, after the other guest rules (kernel/vmx_conformance.c).
 * Each rule makes this CPU's VMCS current with the guest's fields
 * (kernel/guest.c: guest_vmcs_prepare()), sets the controls it is about and
 * their pages, enters the guest (vmx_conformance_enter()) and records what
 * happened; lib/vmx_rules.c quotes the SDM rule and judges, lib/vmx_apicv.c
 * computes what the SDM says the value must be. Intel SDM Vol. 3C, chapter
 * "APIC Virtualization and Virtual Interrupts" ("Virtual APIC State",
 * "Virtualizing Reads from the APIC-Access Page", "Virtualizing Writes to the
 * APIC-Access Page", "APIC-Write Emulation", "Virtual-Interrupt Delivery", "EOI
 * Virtualization", "Posted-Interrupt Processing"), "VMCS Shadowing" and
 * "VMREAD/VMWRITE bitmaps".
 *
 * The pages (APIC-access, virtual-APIC, shadow VMCS, VMREAD and VMWRITE
 * bitmaps) are one set, taken by one CPU at a time (apicv_lock): a CPU's rule
 * writes them, and the processor writes the virtual-APIC page and the shadow
 * VMCS. The guest shares the host's identity page tables (kernel/guest.c), so
 * the guest's linear address of a page is its physical address. Only the
 * posted-interrupt rule touches the real local APIC (its notification, a
 * self-IPI): no interrupt is left pending or in service after it.
 */
#include "kernel/vmx_apicv.h"

#include "arch/apic.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/guest.h"
#include "kernel/vmx_conf.h"
#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "lib/string.h"
#include "lib/vmcs_config.h"
#include "lib/vmx_apicv.h"

#define VTPR_START              0x50            /* VTPR at entry (not in the VID rules) */
#define TPR_THRESHOLD_VALUE     3
#define VTPR_WRITTEN            0x12345620u     /* bytes 081H-083H to be cleared */
#define APIC_ID_VIRTUAL         0xa5000000u     /* the virtual-APIC page's APIC ID */
#define SPIV_WRITTEN            0x1ffu
/* Vectors below 42H, the guest IDT's size (kernel/vmx_conformance.c: guest_idt,
 * every gate to conf_stub_handler). */
#define VID_VECTOR              0x41            /* RVI at entry; SVI in the EOI rule */
#define VID_LOWER               0x35            /* also in VIRR: a lower priority class */
#define EOI_LOWER               0x31            /* also in VISR */
#define GUEST_IDT_LIMIT         (0x42 * 16 - 1)
#define SHADOW_RIP              0x0000123456789abcull   /* in the shadow VMCS's guest RIP */
#define SHADOW_RSP_WRITTEN      0x00003456789abcd0ull   /* the guest's VMWRITE of guest RSP */
#define VMCS_SHADOW_INDICATOR   (1u << 31)      /* bit 31 of a VMCS region's first 4 bytes */
/* The 8259A PICs' interrupt mask registers (OCW1, 8259A data sheet). */
/* The posted-interrupt notification vector: Linux's POSTED_INTR_VECTOR
 * (asm/irq_vectors.h), beyond the guest IDT's 42H vectors. */
#define POSTED_INTR_VECTOR      0xf2
#define POSTED_IRR_TIMEOUT_US   100000
#define PIC_MASTER_IMR          0x21
#define PIC_SLAVE_IMR           0xa1

static uint8_t apic_access_page[4096] __attribute__((aligned(4096)));
static uint8_t virtual_apic_page[4096] __attribute__((aligned(4096)));
static uint8_t shadow_vmcs[4096] __attribute__((aligned(4096)));
static uint8_t vmread_bitmap[4096] __attribute__((aligned(4096)));
static uint8_t vmwrite_bitmap[4096] __attribute__((aligned(4096)));
/* "Posted-Interrupt Descriptor": PIR (bits 255:0), ON (bit 256), 64-byte aligned. */
static volatile uint32_t pi_desc[16] __attribute__((aligned(64)));
#define PI_ON_WORD              8       /* bit 256: word 8, bit 0 */
static int apicv_lock;

/* What the guest does, one entry point each (RSI the address or the field, RDX
 * the value): a 32-bit read or write, a VMREAD or VMWRITE; then VMCALL, RAX
 * its result. */
extern const char apicv_read32[], apicv_write32[], apicv_vmread[], apicv_vmwrite[];
asm(".pushsection .text\n"
    "apicv_read32:\n\tmovl (%rsi), %eax\n\tjmp 1f\n"
    "apicv_write32:\n\tmovl %edx, (%rsi)\n\tjmp 1f\n"
    "apicv_vmread:\n\tvmread %rsi, %rax\n\tjmp 1f\n"
    "apicv_vmwrite:\n\tvmwrite %rdx, %rsi\n"
    "1:\tvmcall\n\thlt\n\tjmp 1b\n"
    ".popsection");
enum apicv_op { AV_READ32, AV_WRITE32, AV_VMREAD, AV_VMWRITE };
static const char *const entry[] = { apicv_read32, apicv_write32, apicv_vmread, apicv_vmwrite };

/* What a rule needs: its secondary controls (with use TPR shadow, and
 * external-interrupt exiting with virtual-interrupt delivery, but for VMCS
 * shadowing), and what its SKIP says when the CPU does not offer them. */
enum need { N_APIC_ACCESS, N_REGISTER_VIRT, N_VID, N_VID_APIC_ACCESS, N_POSTED, N_SHADOW, NEEDS };
static const struct {
	uint32_t proc2;
	const char *missing;
} needs[NEEDS] = {
	[N_APIC_ACCESS] = { SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES,
		"no virtualize APIC accesses (secondary processor-based control bit 0) or no use "
		"TPR shadow (primary processor-based control bit 21)" },
	[N_REGISTER_VIRT] = { SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES | SECONDARY_EXEC_APIC_REGISTER_VIRT,
		"no APIC-register virtualization (secondary processor-based control bit 8), or no "
		"virtualize APIC accesses (bit 0) or use TPR shadow" },
	[N_VID] = { SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY,
		"no virtual-interrupt delivery (secondary processor-based control bit 9) or no use "
		"TPR shadow" },
	[N_VID_APIC_ACCESS] = { SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES |
				SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY,
		"no virtual-interrupt delivery (secondary processor-based control bit 9), or no "
		"virtualize APIC accesses (bit 0) or use TPR shadow" },
	[N_POSTED] = { SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY,
		"no process posted interrupts (pin-based control bit 7), or no virtual-interrupt "
		"delivery (secondary bit 9), acknowledge interrupt on exit (VM-exit control bit 15) "
		"or use TPR shadow" },
	[N_SHADOW] = { SECONDARY_EXEC_SHADOW_VMCS,
		"no VMCS shadowing (secondary processor-based control bit 14)" },
};

/* What the rule observes after the exit: the guest's RAX, a 32-bit word of the
 * virtual-APIC page (at arg's offset), the guest interrupt status, the shadow
 * VMCS's field arg. */
enum seen { SEEN_NONE, SEEN_RAX, SEEN_VAPIC, SEEN_STATUS, SEEN_SHADOW, SEEN_POSTED };

static const struct apicv_rule {
	enum st_rule_id id;
	enum need needs;
	enum apicv_op op;
	uint32_t arg;           /* an APIC-access page offset, or a VMCS field */
	uint32_t val;
	enum seen seen;
	bool hlt;               /* the guest at conf_stub_hlt, RFLAGS.IF 1, its IDT */
} rules[] = {
	{ ST_APIC_ACCESS_READ_EXIT, N_APIC_ACCESS, AV_READ32, APIC_ID, 0, SEEN_NONE, false },
	{ ST_APIC_ACCESS_WRITE_EXIT, N_APIC_ACCESS, AV_WRITE32, APIC_ID, 0, SEEN_NONE, false },
	{ ST_APIC_ACCESS_VTPR_READ, N_APIC_ACCESS, AV_READ32, APIC_TASKPRI, 0, SEEN_RAX, false },
	{ ST_APIC_ACCESS_VTPR_WRITE, N_APIC_ACCESS, AV_WRITE32, APIC_TASKPRI, VTPR_WRITTEN, SEEN_VAPIC,
	  false },
	{ ST_APIC_REG_VIRT_READ, N_REGISTER_VIRT, AV_READ32, APIC_ID, 0, SEEN_RAX, false },
	{ ST_APIC_REG_VIRT_PPR_EXIT, N_REGISTER_VIRT, AV_READ32, APIC_PROCPRI, 0, SEEN_NONE, false },
	{ ST_APIC_WRITE_EXIT, N_REGISTER_VIRT, AV_WRITE32, APIC_SPIV, SPIV_WRITTEN, SEEN_VAPIC, false },
	{ ST_VID_AT_ENTRY, N_VID, AV_READ32, 0, 0, SEEN_STATUS, true },
	{ ST_VID_EOI_EXIT, N_VID_APIC_ACCESS, AV_WRITE32, APIC_EOI, 0, SEEN_STATUS, false },
	{ ST_POSTED_INTR, N_POSTED, AV_READ32, 0, 0, SEEN_POSTED, true },
	{ ST_SHADOW_VMREAD, N_SHADOW, AV_VMREAD, GUEST_RIP, 0, SEEN_RAX, false },
	{ ST_SHADOW_VMWRITE, N_SHADOW, AV_VMWRITE, GUEST_RSP, 0, SEEN_SHADOW, false },
	{ ST_SHADOW_VMWRITE_EXIT, N_SHADOW, AV_VMWRITE, GUEST_RIP, 0, SEEN_NONE, false },
};

/* The 256-bit vector registers (VIRR, VISR) at `base` on the virtual-APIC page:
 * "Virtual APIC State": vector V is bit V & 31 of the register at base + 10H * (V / 32). */
static void vapic_set_vector(unsigned base, uint8_t v)
{
	*(volatile uint32_t *)(virtual_apic_page + base + 0x10 * (v / 32)) |= 1u << (v % 32);
}

static void vapic_vectors(unsigned base, uint32_t out[8])
{
	for (unsigned i = 0; i < 8; i++)
		out[i] = *(volatile uint32_t *)(virtual_apic_page + base + 0x10 * i);
}

static bool offered(const struct vmxcap_msrs *m, enum need n)
{
	bool secondary = vmxcap_has(m, MSR_IA32_VMX_PROCBASED_CTLS2) &&
			 conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
				 CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);

	if (!secondary || !conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS2, 0, needs[n].proc2))
		return false;
	if (n == N_SHADOW)
		return true;
	return conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
		       CPU_BASED_TPR_SHADOW) &&
	       (n < N_VID || conf_allowed(m, MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
				     PIN_BASED_EXT_INTR_MASK)) &&
	       (n != N_POSTED || (conf_allowed(m, MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
					  PIN_BASED_POSTED_INTR) &&
				  conf_allowed(m, MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS,
					  VM_EXIT_ACK_INTR_ON_EXIT)));
}

/* The controls of a rule, and where the guest starts. */
static void apicv_apply(struct vmcs_config *c, void *ctx)
{
	const struct apicv_rule *g = ctx;

	c->proc |= CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	c->proc2 |= needs[g->needs].proc2;
	if (g->needs == N_SHADOW) {
		/* "VMCS Shadowing": the shadow VMCS is the one the link pointer references. */
		c->link_pointer = (uint64_t)(uintptr_t)shadow_vmcs;
		return;
	}
	c->proc |= CPU_BASED_TPR_SHADOW;
	/* "Checks on VM-Execution Control Fields": "If the 'virtual-interrupt
	 * delivery' VM-execution control is 1, the 'external-interrupt exiting'
	 * VM-execution control must be 1." */
	if (g->needs >= N_VID)
		c->pin |= PIN_BASED_EXT_INTR_MASK;
	/* "If the 'process posted interrupts' VM-execution control is 1, the
	 * 'virtual-interrupt delivery' VM-execution control must be 1 [and] the
	 * 'acknowledge interrupt on exit' VM-exit control must be 1." */
	if (g->needs == N_POSTED) {
		c->pin |= PIN_BASED_POSTED_INTR;
		c->exit |= VM_EXIT_ACK_INTR_ON_EXIT;
	}
	if (g->hlt) {
		c->guest_idtr_base = (uint64_t)(uintptr_t)guest_idt;
		c->guest_idtr_limit = GUEST_IDT_LIMIT;
		c->guest_rflags |= X86_EFLAGS_IF;
	}
}

/*
 * The fields the controls bring in, beyond struct vmcs_config ("VM-Execution
 * Control Fields": "Controls for APIC Virtualization", "Shadow-VMCS Bitmaps"):
 * the virtual-APIC page and the TPR threshold (use TPR shadow; the threshold
 * only without virtual-interrupt delivery), the APIC-access address, the
 * EOI-exit bitmap (vector 41H's bit) and the guest interrupt status
 * (virtual-interrupt delivery), the VMREAD and VMWRITE bitmaps.
 */
static const char *write_fields(const struct apicv_rule *g, uint16_t status)
{
	uint32_t proc2 = needs[g->needs].proc2;
	bool vid = proc2 & SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY;
	bool shadow = proc2 & SECONDARY_EXEC_SHADOW_VMCS;
	bool posted = g->needs == N_POSTED;
	const struct {
		uint32_t field;
		uint64_t value;
		bool wanted;
	} w[] = {
		{ VIRTUAL_APIC_PAGE_ADDR, (uint64_t)(uintptr_t)virtual_apic_page, !shadow },
		{ TPR_THRESHOLD, TPR_THRESHOLD_VALUE, !shadow && !vid },
		{ APIC_ACCESS_ADDR, (uint64_t)(uintptr_t)apic_access_page,
		  proc2 & SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES },
		{ EOI_EXIT_BITMAP0 + 2 * (VID_VECTOR / 64), 1ull << (VID_VECTOR % 64), vid },
		{ GUEST_INTR_STATUS, status, vid },
		{ POSTED_INTR_NV, POSTED_INTR_VECTOR, posted },
		{ POSTED_INTR_DESC_ADDR, (uint64_t)(uintptr_t)pi_desc, posted },
		{ VMREAD_BITMAP, (uint64_t)(uintptr_t)vmread_bitmap, shadow },
		{ VMWRITE_BITMAP, (uint64_t)(uintptr_t)vmwrite_bitmap, shadow },
	};
	bool ok = true;

	for (unsigned i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		uint64_t f = 0;
		if (w[i].wanted)
			ok &= vmwrite_safe(w[i].field, w[i].value, &f) < 0 &&
			      vmx_outcome_from_rflags(f) == VMX_SUCCEED;
	}
	return ok ? 0 : "a VMWRITE of the VMCS failed";
}

/* The pages of a rule, written before its entry, and what the SDM says its
 * value must be (lib/vmx_apicv.h). VTPR 50H but in the VID rules (0, below
 * every vector); the virtual APIC ID; VIRR (the delivery rule), VISR (the EOI
 * rule). The guest interrupt status at entry into *status. */
static uint64_t prepare_vapic(const struct apicv_rule *g, uint16_t *status)
{
	uint32_t vectors[8];

	memset(virtual_apic_page, 0, sizeof(virtual_apic_page));
	*(volatile uint32_t *)(virtual_apic_page + APIC_TASKPRI) = g->needs >= N_VID ? 0 : VTPR_START;
	*(volatile uint32_t *)(virtual_apic_page + APIC_ID) = APIC_ID_VIRTUAL;
	*status = 0;
	switch (g->id) {
	case ST_APIC_ACCESS_VTPR_READ:
		return VTPR_START;
	case ST_APIC_ACCESS_VTPR_WRITE:
		return vtpr_after_apic_write(g->val);
	case ST_APIC_REG_VIRT_READ:
		return APIC_ID_VIRTUAL;
	case ST_APIC_WRITE_EXIT:
		return g->val;
	case ST_VID_AT_ENTRY:
		vapic_set_vector(APIC_IRR, VID_VECTOR);
		vapic_set_vector(APIC_IRR, VID_LOWER);
		vapic_vectors(APIC_IRR, vectors);
		*status = VID_VECTOR;                   /* RVI */
		return intr_status_after_delivery(*status, 0, vectors);
	case ST_POSTED_INTR: {
		/* "Posted-Interrupt Processing": PIR 41H and ON set; RVI 0 at entry. The
		 * notification merges PIR into VIRR (RVI := 41H) and the evaluation
		 * delivers it, as virtual-interrupt-delivery-at-entry does. */
		uint32_t virr[8] = { 0 };
		for (unsigned i = 0; i < 16; i++)
			pi_desc[i] = 0;
		pi_desc[VID_VECTOR / 32] = 1u << (VID_VECTOR % 32);
		pi_desc[PI_ON_WORD] = 1;
		virr[VID_VECTOR / 32] = 1u << (VID_VECTOR % 32);
		return intr_status_after_delivery(VID_VECTOR, 0, virr);
	}
	case ST_VID_EOI_EXIT:
		vapic_set_vector(APIC_ISR, VID_VECTOR);
		vapic_set_vector(APIC_ISR, EOI_LOWER);
		vapic_vectors(APIC_ISR, vectors);
		*status = VID_VECTOR << 8;              /* SVI */
		return intr_status_after_eoi(*status, vectors);
	default:
		return 0;
	}
}

/* The shadow VMCS ("VMCS Shadowing"): a VMCS region whose first 4 bytes hold
 * the revision identifier and bit 31, the shadow-VMCS indicator, set; cleared
 * (VMCLEAR), made current (VMPTRLD: allowed for a shadow VMCS where the CPU
 * offers VMCS shadowing), its guest RIP and guest RSP written, cleared again
 * so that its data is in memory. No VMCS is current after. */
static bool shadow_op(int v, uint64_t f)
{
	return v < 0 && vmx_outcome_from_rflags(f) == VMX_SUCCEED;
}

static const char *prepare_shadow(const struct vmx_result *r)
{
	uint32_t rev = vmx_basic_decode(vmxcap_get(&r->caps, MSR_IA32_VMX_BASIC)).revision |
		       VMCS_SHADOW_INDICATOR;
	uint64_t pa = (uint64_t)(uintptr_t)shadow_vmcs, f = 0;
	bool ok;

	memset(shadow_vmcs, 0, sizeof(shadow_vmcs));
	memcpy(shadow_vmcs, &rev, 4);
	ok = shadow_op(vmclear_safe(pa, &f), f) && shadow_op(vmptrld_safe(pa, &f), f);
	ok = ok && shadow_op(vmwrite_safe(GUEST_RIP, SHADOW_RIP, &f), f) &&
	     shadow_op(vmwrite_safe(GUEST_RSP, 0, &f), f);
	ok &= shadow_op(vmclear_safe(pa, &f), f);
	/* "VMREAD/VMWRITE bitmaps": bit n for the field whose encoding's bits
	 * 14:0 are n. Guest RIP: 0 in the VMREAD bitmap, 1 in the VMWRITE one;
	 * guest RSP: 0 in both. */
	memset(vmread_bitmap, 0, sizeof(vmread_bitmap));
	memset(vmwrite_bitmap, 0, sizeof(vmwrite_bitmap));
	vmwrite_bitmap[GUEST_RIP / 8] |= 1u << (GUEST_RIP % 8);
	return ok ? 0 : "the shadow VMCS could not be made (VMCLEAR, VMPTRLD or VMWRITE failed)";
}

/* The shadow VMCS's field after the guest's VMWRITE: made current, read, cleared. */
static uint64_t shadow_field(uint32_t field)
{
	uint64_t pa = (uint64_t)(uintptr_t)shadow_vmcs, f = 0, v = 0;

	if (shadow_op(vmptrld_safe(pa, &f), f))
		vmread_safe(field, &v, &f);
	vmclear_safe(pa, &f);
	return v;
}

/* After the rule, nothing of the notification may stay: a CPU that exited
 * for it (reason 1, acknowledged on exit) or left it in the IRR
 * (conf_take_interrupt() takes it) has it in service: EOI. (A CPU that
 * processed it wrote EOI itself: step 4 of "Posted-Interrupt Processing".) */
static void notify_done(unsigned cpu, const struct vmx_result *r, struct st_observed o)
{
	bool in_service = o.has_exit && o.exit_reason == EXIT_REASON_EXTERNAL_INTERRUPT;

	if (conf_take_interrupt(cpu, r, POSTED_INTR_VECTOR) || in_service)
		lapic_eoi();
}

/* One rule, holding apicv_lock: its pages, a fresh VMCS, the guest, the value. */
static void run_apicv_rule(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
			   const struct apicv_rule *g)
{
	uint64_t vmcs = 0, f = 0, expected = 0;
	uint64_t rip = (uint64_t)(uintptr_t)(g->hlt ? conf_stub_hlt : entry[g->op]);
	uint64_t arg = g->needs == N_SHADOW ? g->arg : (uint64_t)(uintptr_t)apic_access_page + g->arg;
	uint64_t val = g->id == ST_SHADOW_VMWRITE ? SHADOW_RSP_WRITTEN : g->val;
	uint16_t status = 0;
	const char *why = 0;

	if (g->needs == N_SHADOW) {
		why = prepare_shadow(r);
		expected = g->id == ST_SHADOW_VMREAD ? SHADOW_RIP : SHADOW_RSP_WRITTEN;
	} else {
		expected = prepare_vapic(g, &status);
	}
	if (!why)
		why = guest_vmcs_prepare(cpu, r, rip, apicv_apply, (void *)g, &vmcs);
	if (!why && (why = write_fields(g, status)))
		vmclear_safe(vmcs, &f);
	if (why) {
		s->skip(s->ctx, g->id, why);
		return;
	}
	/* The notification: a self-IPI left pending in the IRR for the entry. */
	if (g->needs == N_POSTED && !lapic_self_ipi_pending(POSTED_INTR_VECTOR, POSTED_IRR_TIMEOUT_US)) {
		vmclear_safe(vmcs, &f);
		s->skip(s->ctx, g->id, "the notification self-IPI (vector F2H) never reached this CPU's IRR");
		return;
	}
	struct st_observed o = vmx_conformance_enter(g->op, arg, val, 0);
	if ((g->seen == SEEN_STATUS || g->seen == SEEN_POSTED) && o.has_exit)
		vmread_safe(GUEST_INTR_STATUS, &o.value, &f);
	vmclear_safe(vmcs, &f);
	if (g->seen != SEEN_NONE && o.has_exit) {
		o.has_value = true;
		o.value_expected = expected;
		if (g->seen == SEEN_VAPIC)
			o.value = *(volatile uint32_t *)(virtual_apic_page + g->arg);
		else if (g->seen == SEEN_SHADOW)
			o.value = shadow_field(g->arg);
		else if (g->seen == SEEN_STATUS)
			o.value &= 0xffff;
		else if (g->seen == SEEN_POSTED)        /* ON (16) and PIR 41H (17) must be clear */
			o.value = (o.value & 0xffff) | (uint64_t)(pi_desc[PI_ON_WORD] & 1) << 16 |
				  (uint64_t)((pi_desc[VID_VECTOR / 32] >> (VID_VECTOR % 32)) & 1) << 17;
	}
	if (g->needs == N_POSTED)
		notify_done(cpu, r, o);
	s->record(s->ctx, g->id, o);
}

void vmx_apicv_rules(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	for (unsigned i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct apicv_rule *g = &rules[i];

		if (!offered(&r->caps, g->needs)) {
			s->skip(s->ctx, g->id, needs[g->needs].missing);
			continue;
		}
		if (options_skips_rule(&options, st_rule(g->id)->id)) {
			s->skip(s->ctx, g->id, "selftest.skip= on the command line");
			continue;
		}
		while (__atomic_exchange_n(&apicv_lock, 1, __ATOMIC_ACQUIRE))
			cpu_relax();
		/* "Checks on VM-Execution Control Fields": virtual-interrupt delivery
		 * needs external-interrupt exiting, and "Event Blocking": with it an
		 * external interrupt exits whatever RFLAGS.IF. The firmware's timer
		 * (IRQ 0 through the 8259A to the boot CPU's LINT0, never taken: the
		 * host runs with RFLAGS.IF 0) would exit (reason 1) in place of what
		 * the rule observes: the PICs masked meanwhile (a masked request
		 * drops the PIC's INTR), their masks put back after. */
		bool vid = g->needs == N_VID || g->needs == N_VID_APIC_ACCESS || g->needs == N_POSTED;
		uint8_t imr[2] = { vid ? inb(PIC_MASTER_IMR) : 0, vid ? inb(PIC_SLAVE_IMR) : 0 };
		if (vid) {
			outb(PIC_MASTER_IMR, 0xff);
			outb(PIC_SLAVE_IMR, 0xff);
		}
		run_apicv_rule(cpu, r, s, g);
		if (vid) {
			outb(PIC_SLAVE_IMR, imr[1]);
			outb(PIC_MASTER_IMR, imr[0]);
		}
		__atomic_store_n(&apicv_lock, 0, __ATOMIC_RELEASE);
	}
}
