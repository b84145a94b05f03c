/* Kiln startup for bare-metal Cortex-M on QEMU mps2 boards, newlib with rdimon semihosting (link with
 * --specs=rdimon.specs -nostartfiles -T mps2.ld).
 *
 * Reset_Handler: FPU on (when compiled for one), .bss zeroed, stack painted, semihosting stdio opened, C/C++
 * constructors, then exit(main()). The exit status reaches QEMU's exit status through semihosting.
 *
 * Stack high-water mark: every word between __kiln_stack_bottom and the reset stack pointer is painted with
 * KILN_STACK_PAINT; at exit the lowest word that changed gives the peak, written to the semihosting debug
 * console (QEMU's stderr) as the line "kiln-stack-peak <bytes>". A peak equal to the stack size (mps2.ld)
 * means the stack overflowed.
 *
 * Any fault or unexpected interrupt: exit status 99.
 */
#include <stdint.h>
#include <stdlib.h>

#define KILN_STACK_PAINT 0xC5A5C5A5u
#define KILN_FAULT_EXIT_STATUS 99

extern uint32_t __bss_start__, __bss_end__, __kiln_stack_bottom, __kiln_stack_top;
extern uint32_t __heap_limit; /* rdimon's _sbrk honours it unless it is 0xcafedead */
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);
extern int main(void);

void Reset_Handler(void);

/* SYS_WRITE0: a NUL-terminated string to the debug console. */
static void semihost_write0(const char* s) {
  register uint32_t op __asm("r0") = 0x04;
  register const char* arg __asm("r1") = s;
  __asm volatile("bkpt 0xab" : "+r"(op) : "r"(arg) : "memory");
}

static void report_stack_peak(void) {
  const uint32_t* p = &__kiln_stack_bottom;
  while (p < &__kiln_stack_top && *p == KILN_STACK_PAINT) ++p;
  uint32_t peak = (uint32_t)((const char*)&__kiln_stack_top - (const char*)p);
  char line[48] = "kiln-stack-peak ";
  char digits[12];
  int n = 0;
  do {
    digits[n++] = (char)('0' + peak % 10u);
    peak /= 10u;
  } while (peak != 0u);
  char* out = line;
  while (*out) ++out;
  while (n > 0) *out++ = digits[--n];
  *out++ = '\n';
  *out = '\0';
  semihost_write0(line);
}

void Reset_Handler(void) {
#if defined(__ARM_FP)
  /* CP10/CP11 full access before the first floating-point instruction. */
  *(volatile uint32_t*)0xE000ED88u |= (0xFu << 20);
  __asm volatile("dsb\n\tisb" ::: "memory");
#endif
  for (uint32_t* p = &__bss_start__; p < &__bss_end__; ++p) *p = 0u;

  uint32_t* sp;
  __asm volatile("mov %0, sp" : "=r"(sp));
  for (volatile uint32_t* p = &__kiln_stack_bottom; p < sp; ++p) *p = KILN_STACK_PAINT;

  __heap_limit = (uint32_t)(uintptr_t)&__kiln_stack_bottom; /* keep malloc out of the painted stack */
  initialise_monitor_handles();
  atexit(report_stack_peak); /* registered first, so it runs last among atexit handlers */
  __libc_init_array();
  exit(main());
}

static void Fault_Handler(void) {
  _Exit(KILN_FAULT_EXIT_STATUS);
}

typedef void (*kiln_vector)(void);

/* 16 system exceptions + 32 external interrupts; nothing enables an interrupt, so all go to the fault exit.
 */
__attribute__((section(".kiln_vectors"), used)) const kiln_vector kiln_vector_table[16 + 32] = {
    (kiln_vector)(uintptr_t)&__kiln_stack_top, /* initial SP */
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    0,
    0,
    0,
    0,
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMonitor */
    0,
    Fault_Handler, /* PendSV */
    Fault_Handler, /* SysTick */
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
};

/* -nostartfiles drops crti/crtn; newlib's __libc_init_array/__libc_fini_array still call these. */
void _init(void);
void _fini(void);
void _init(void) {}
void _fini(void) {}
