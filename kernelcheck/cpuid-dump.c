/* cpuid-dump: print the CPUID leaves this CPU presents, one "cpuid -r" line per (leaf, subleaf):
 *    0x00000000 0x00: eax=0x0000000d ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65
 * Static, no libc (built with -nostdlib), so it runs from the kernelcheck initramfs. The x86
 * kernel reads its facts from these leaves; printing them lets pvenum resolve the CPUID the
 * guest really saw under QEMU next to what the kernel concluded from it. */
typedef unsigned int u32;
typedef unsigned long u64;

static void out(const char *s, u64 n)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(1), "D"(1), "S"(s), "d"(n) : "rcx", "r11", "memory");
}

static char *hex(char *p, u32 v, int digits)
{
	*p++ = '0'; *p++ = 'x';
	for (int i = digits - 1; i >= 0; i--)
		*p++ = "0123456789abcdef"[(v >> (i * 4)) & 0xf];
	return p;
}

static void leaf(u32 l, u32 s)
{
	u32 a, b, c, d;
	char line[96], *p = line;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(l), "c"(s));
	*p++ = ' '; *p++ = ' ', *p++ = ' ';
	p = hex(p, l, 8); *p++ = ' '; p = hex(p, s, 2); *p++ = ':';
	const char *names = "abcd";
	u32 r[4] = {a, b, c, d};
	for (int i = 0; i < 4; i++) {
		*p++ = ' '; *p++ = 'e'; *p++ = names[i]; *p++ = 'x'; *p++ = '=';
		p = hex(p, r[i], 8);
	}
	*p++ = '\n';
	out(line, p - line);
}

static void range(u32 first)
{
	u32 a, b, c, d, max;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(first), "c"(0));
	max = a;
	if (max < first || max - first > 0x40)
		max = first;
	for (u32 l = first; l <= max; l++) {
		/* subleaves of the indexed leaves the resolver reads: 0x7, 0xd, 0x8000001d stay small */
		u32 subs = (l == 0x7 || l == 0xd || l == 0x4 || l == 0xb || l == 0x8000001d) ? 4 : 1;
		for (u32 s = 0; s < subs; s++)
			leaf(l, s);
	}
}

void _start(void)
{
	out("CPU 0:\n", 7);
	range(0);
	range(0x40000000);
	/* further hypervisor blocks, where the kernel looks for a signature (arch/x86/include/asm/
	 * processor.h for_each_possible_hypervisor_cpuid_base(): 0x40000100..0x4000ff00): dumped
	 * when the block's first leaf names a maximum inside the block */
	for (u32 base = 0x40000100; base < 0x40010000; base += 0x100) {
		u32 a, b, c, d;
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(base), "c"(0));
		if (a >= base && a - base <= 0x40)
			range(base);
	}
	range(0x80000000);
	__asm__ volatile("syscall" : : "a"(60), "D"(0));
	for (;;) ;
}
