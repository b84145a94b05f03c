/* Kiln region markers: bracket code whose executed instructions `kiln profile` counts on QEMU.
 *
 *   KILN_MARK_BEGIN(dsp); run_dsp(...); KILN_MARK_END(dsp);
 *   KILN_MARK_BEGIN(nn);  run_nn(...);  KILN_MARK_END(nn);
 *
 * Each marker is a call to a tiny noinline function (one `bx lr`); the counting plugin (kiln_count_plugin.c)
 * watches their addresses. A region's count runs from the first instruction of kiln_mark_<r>_begin
 * (inclusive) to the first instruction of kiln_mark_<r>_end (exclusive): it includes the begin body (1) and
 * the call to end (1), so an empty region counts 2. Several passes through a region add up.
 *
 * kiln_markers.c defines the `dsp` and `nn` pairs. Another region: KILN_DEFINE_MARKERS(name) in one source
 * file, and declare it with KILN_DECLARE_MARKERS(name) where it is used.
 */
#ifndef KILN_MARKERS_H
#define KILN_MARKERS_H

#ifdef __cplusplus
#define KILN_MARKERS_EXTERN_C extern "C"
#else
#define KILN_MARKERS_EXTERN_C
#endif

#define KILN_DECLARE_MARKERS(region)                           \
  KILN_MARKERS_EXTERN_C void kiln_mark_##region##_begin(void); \
  KILN_MARKERS_EXTERN_C void kiln_mark_##region##_end(void)

/* naked: the body is exactly one instruction at any optimization level; the distinct asm comments keep the
 * compiler from folding identical functions into one address. */
#define KILN_DEFINE_MARKERS(region)                                                                    \
  KILN_MARKERS_EXTERN_C __attribute__((naked, noinline, used)) void kiln_mark_##region##_begin(void) { \
    __asm volatile("bx lr @ kiln_mark_" #region "_begin");                                             \
  }                                                                                                    \
  KILN_MARKERS_EXTERN_C __attribute__((naked, noinline, used)) void kiln_mark_##region##_end(void) {   \
    __asm volatile("bx lr @ kiln_mark_" #region "_end");                                               \
  }

#define KILN_MARK_BEGIN(region) kiln_mark_##region##_begin()
#define KILN_MARK_END(region) kiln_mark_##region##_end()

KILN_DECLARE_MARKERS(dsp);
KILN_DECLARE_MARKERS(nn);

#endif /* KILN_MARKERS_H */
