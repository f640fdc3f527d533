/* Stands in for the "cpuid" instruction in code whose inline asm executes it directly
 * (virt-what-cvm.c's cpuid()). virt_what_main.c defines an assembler macro named "cpuid" that
 * expands to "call pv_cpuid_trampoline", so the C file compiles unchanged.
 *
 * In:  eax = leaf, ecx = subleaf.  Out: eax, ebx, ecx, edx as CPUID would set them.
 * Every other general register is preserved; pv_cpuid_regs() is built with -mgeneral-regs-only
 * and calls nothing, so vector registers are untouched too. The caller is compiled with
 * -mno-red-zone because this "call" pushes below the stack pointer. */
        .text
        .globl  pv_cpuid_trampoline
        .type   pv_cpuid_trampoline, @function
pv_cpuid_trampoline:
        pushq   %rbp
        movq    %rsp, %rbp
        pushq   %rsi
        pushq   %rdi
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        subq    $16, %rsp               /* uint32_t out[4] */
        andq    $-16, %rsp              /* ABI stack alignment for the C call */
        movl    %eax, %edi              /* leaf */
        movl    %ecx, %esi              /* subleaf */
        movq    %rsp, %rdx              /* out */
        call    pv_cpuid_regs
        movl    0(%rsp), %eax
        movl    4(%rsp), %ebx
        movl    8(%rsp), %ecx
        movl    12(%rsp), %edx
        leaq    -48(%rbp), %rsp
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rdi
        popq    %rsi
        popq    %rbp
        ret
        .size   pv_cpuid_trampoline, .-pv_cpuid_trampoline
        .section .note.GNU-stack,"",@progbits
