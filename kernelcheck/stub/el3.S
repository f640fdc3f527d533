/*
 * pvenum kernelcheck firmware stub: answers a scenario's [smccc] table at EL3 (SMC) and EL2
 * (HVC), then enters the Linux arm64 Image at EL1 - what QEMU's built-in PSCI emulation cannot
 * do (it answers NOT_SUPPORTED to every non-PSCI call).
 *
 * QEMU: -machine virt,secure=on,virtualization=on,gic-version=3 -cpu cortex-a72 -bios stub.bin
 *       -semihosting; Image, DTB and initrd placed with -device loader (kernelcheck/stub.py).
 * The EL2 half runs from a copy in the last MiB of RAM (secure flash is not fetchable from
 * non-secure EL2); the DTB keeps that MiB from Linux.
 * Boot protocol: linux Documentation/arch/arm64/booting.rst (x0 = DTB, MMU off, at EL1 with
 * the generic timer usable and the GICv3 system registers enabled from EL3/EL2).
 *
 * The answer table follows the code: entries of five u64 {function id, x0, x1, x2, x3}, ending
 * with function id ~0 (written by kernelcheck/stub.py from the scenario's platform.toml).
 * Computed answers: PSCI_FEATURES and SMCCC_ARCH_FEATURES (0 when the queried id is in the
 * table and does not answer NOT_SUPPORTED), PSCI SYSTEM_OFF/RESET (semihosting exit: QEMU
 * stops), RSI_REALM_CONFIG (ipa_bits written to the guest's buffer), RSI_IPA_STATE_SET/GET
 * (the whole range at once, RIPAS_RAM: there is no real realm memory under TCG).
 */
	.equ KERNEL,      0x40200000
	.equ DTB,         0x48000000
	.equ STACK_EL3,   0x5ff80000
	.equ STACK_EL2,   0x5fff0000
	.equ GICD,        0x08000000
	.equ NOT_SUPPORTED, -1
	.equ COPY,        0x5ff00000	/* non-secure RAM the EL2 half runs from (flash is secure-only) */
	.equ COPY_SIZE,   0x10000

	.text
	.global _start
_start:
	/* EL3: SCR_EL3 = NS | RES1(5:4) | HCE | RW; no FP/SIMD traps */
	mov	x0, #0x531
	msr	scr_el3, x0
	msr	cptr_el3, xzr
	msr	mdcr_el3, xzr
	ldr	x0, =el3_vectors
	msr	vbar_el3, x0
	ldr	x0, =STACK_EL3
	mov	sp, x0
	/* GICv3: system register interface for EL3/EL2/EL1; GICD_CTLR.DS = 1 (one security state,
	 * so the non-secure kernel configures every interrupt itself) */
	mov	x0, #0xf
	msr	S3_6_C12_C12_5, x0	/* ICC_SRE_EL3 */
	isb
	msr	S3_4_C12_C9_5, x0	/* ICC_SRE_EL2 */
	isb
	ldr	x1, =GICD
	mov	w0, #(1 << 6)
	str	w0, [x1]
	/* copy the stub (code and table) to non-secure RAM for the EL2 vectors */
	mov	x1, xzr
	ldr	x2, =COPY
	ldr	x3, =COPY_SIZE
1:	ldp	x4, x5, [x1], #16
	stp	x4, x5, [x2], #16
	subs	x3, x3, #16
	b.ne	1b
	/* EL2: AArch64 EL1, no traps, EL1 access to the physical timer, HVC answered here */
	mov	x0, #(1 << 31)
	msr	hcr_el2, x0
	mov	x0, #0x33ff
	msr	cptr_el2, x0
	mov	x0, #3
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	msr	vttbr_el2, xzr
	ldr	x0, =0x30c50830
	msr	sctlr_el2, x0
	ldr	x0, =(COPY + el2_vectors)
	msr	vbar_el2, x0
	ldr	x0, =STACK_EL2
	msr	sp_el2, x0
	/* EL1: MMU and caches off (RES1 bits only) */
	ldr	x0, =0x30d00800
	msr	sctlr_el1, x0
	/* enter the kernel at EL1h, interrupts masked, x0 = DTB */
	mov	x0, #0x3c5
	msr	spsr_el3, x0
	ldr	x0, =KERNEL
	msr	elr_el3, x0
	ldr	x0, =DTB
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	isb
	eret

/* x0..x3 in: a call; out: the answer. Preserves x4-x17 (SMCCC v1.1+) except x4-x7 scratch,
 * saved by the callers on their stack. */
dispatch:
	ldr	x4, =0x84000008		/* PSCI SYSTEM_OFF */
	cmp	x0, x4
	b.eq	exit_qemu
	ldr	x4, =0x84000009		/* PSCI SYSTEM_RESET */
	cmp	x0, x4
	b.eq	exit_qemu
	ldr	x4, =0x8400000a		/* PSCI_FEATURES(x1) */
	cmp	x0, x4
	b.eq	features
	ldr	x4, =0x80000001		/* SMCCC_ARCH_FEATURES(x1) */
	cmp	x0, x4
	b.eq	features
	ldr	x4, =0xc4000196		/* RSI_REALM_CONFIG(x1 = buffer) */
	cmp	x0, x4
	b.eq	realm_config
	ldr	x4, =0xc4000197		/* RSI_IPA_STATE_SET(x1 base, x2 top) */
	cmp	x0, x4
	b.eq	ipa_set
	ldr	x4, =0xc4000198		/* RSI_IPA_STATE_GET(x1 base, x2 top) */
	cmp	x0, x4
	b.eq	ipa_get
	mov	x5, x0
	bl_lookup:
	adr	x4, table
1:	ldr	x6, [x4]
	cmn	x6, #1
	b.eq	2f
	cmp	x6, x5
	b.eq	3f
	add	x4, x4, #40
	b	1b
2:	mov	x0, #NOT_SUPPORTED
	ret
3:	ldp	x0, x1, [x4, #8]
	ldp	x2, x3, [x4, #24]
	ret

features:	/* 0 when x1 is in the table and answers something other than NOT_SUPPORTED */
	adr	x4, table
1:	ldr	x6, [x4]
	cmn	x6, #1
	b.eq	2f
	cmp	x6, x1
	b.eq	3f
	add	x4, x4, #40
	b	1b
2:	mov	x0, #NOT_SUPPORTED
	ret
3:	ldr	x6, [x4, #8]
	cmn	x6, #1
	b.eq	2b
	mov	x0, xzr
	ret

realm_config:	/* struct realm_config: ipa_bits at offset 0, hash_algo at 8 (rsi_smc.h) */
	adr	x4, ipa_bits
	ldr	x6, [x4]
	str	x6, [x1]
	ldr	x6, [x4, #8]
	str	x6, [x1, #8]
	mov	x0, xzr
	ret

ipa_set:	/* RSI_SUCCESS, new base = top, RSI_ACCEPT */
	mov	x0, xzr
	mov	x1, x2
	mov	x2, xzr
	ret

ipa_get:	/* RSI_SUCCESS, top, RIPAS_RAM */
	mov	x0, xzr
	mov	x1, x2
	mov	x2, #1
	ret

exit_qemu:	/* semihosting SYS_EXIT: x1 points to {ADP_Stopped_ApplicationExit, 0} in AArch64 */
	mov	x0, #0x18
	adr	x1, exit_block
	hlt	#0xf000
	b	.
	.balign	8
exit_block:
	.quad	0x20026, 0

/* A synchronous exception from a lower EL: SMC (EC 0x17) at EL3, HVC (EC 0x16) at EL2. */
	.macro	handler, esr
	stp	x4, x5, [sp, #-48]!
	stp	x6, x7, [sp, #16]
	str	x30, [sp, #32]
	mrs	x4, \esr
	lsr	x4, x4, #26
	cmp	x4, #0x17
	b.eq	1f
	cmp	x4, #0x16
	b.eq	1f
	b	exit_qemu		/* anything else: stop QEMU rather than hang */
1:	bl	dispatch
	ldr	x30, [sp, #32]
	ldp	x6, x7, [sp, #16]
	ldp	x4, x5, [sp], #48
	eret
	.endm

	.balign	2048
el3_vectors:
	.rept	8
	.balign	128
	b	exit_qemu		/* current EL: not expected */
	.endr
	.balign	128
	handler	esr_el3			/* lower EL, AArch64, synchronous */
	.rept	7
	.balign	128
	b	exit_qemu
	.endr

	.balign	2048
el2_vectors:
	.rept	8
	.balign	128
	b	exit_qemu
	.endr
	.balign	128
	handler	esr_el2
	.rept	7
	.balign	128
	b	exit_qemu
	.endr

	.ltorg
	.balign	8
ipa_bits:
	.quad	0, 0			/* ipa_bits, hash_algo: patched by stub.py */
table:
