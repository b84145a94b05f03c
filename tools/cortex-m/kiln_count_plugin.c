/*
 * kiln_count_plugin.c - QEMU TCG plugin (plugin API version 1, QEMU 7.2) that counts executed guest
 * instructions, in total and inside several named regions, in one run.
 *
 *   qemu-system-arm ... -plugin kiln_count.so,out=FILE,region=dsp:0xBEGIN:0xEND,region=nn:0xBEGIN:0xEND
 *
 * A region is a pair of marker addresses (the kiln_mark_<name>_begin/_end functions of kiln_markers.h; a
 * Thumb bit in the address is ignored). Its count runs from executing the instruction at BEGIN (inclusive) to
 * executing the instruction at END (exclusive); passes add up, nested passes of the same region count once
 * (outermost pair). Regions may overlap each other.
 *
 * Every instruction adds 1 to a 64-bit counter through an inline operation (exact, no callback); the marker
 * instructions also get a callback that snapshots the counter. Both markers register callback and inline op
 * in the same order, so the order QEMU runs them in cancels out.
 *
 * At exit it writes to FILE (stderr without out=):
 *   total <insns>
 *   region <name> <insns> <completed passes>
 *
 * Stand-alone: the few declarations below follow QEMU 7.2's include/qemu/qemu-plugin.h, so no QEMU headers
 * are needed. Build: cc -O2 -shared -fPIC -o kiln_count.so kiln_count_plugin.c
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QEMU plugin API, version 1 (QEMU 7.2) ---- */
#define KILN_PLUGIN_EXPORT __attribute__((visibility("default")))
typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t {
  const char* target_name;
  struct {
    int min;
    int cur;
  } version;
  bool system_emulation;
  union {
    struct {
      int smp_vcpus;
      int max_vcpus;
    } system;
  };
} qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void* userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void* userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb* tb);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn* insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void* userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn* insn, enum qemu_plugin_op op,
                                                void* ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
struct qemu_plugin_insn* qemu_plugin_tb_get_insn(const struct qemu_plugin_tb* tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn* insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void* userdata);

KILN_PLUGIN_EXPORT int qemu_plugin_version = 1;

/* ---- counting ---- */
#define KILN_MAX_REGIONS 32

struct region {
  char name[64];
  uint64_t begin, end;      /* marker addresses, Thumb bit cleared */
  uint64_t snapshot, insns; /* total at the outermost begin; sum over completed passes */
  uint64_t passes;
  unsigned depth;
};

static uint64_t total_insns;
static struct region regions[KILN_MAX_REGIONS];
static size_t region_count;
static const char* out_path;

static void on_begin(unsigned int vcpu, void* userdata) {
  struct region* r = (struct region*)userdata;
  (void)vcpu;
  if (r->depth++ == 0) r->snapshot = total_insns;
}

static void on_end(unsigned int vcpu, void* userdata) {
  struct region* r = (struct region*)userdata;
  (void)vcpu;
  if (r->depth == 0) return; /* end without begin */
  if (--r->depth == 0) {
    r->insns += total_insns - r->snapshot;
    r->passes++;
  }
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t vaddr = qemu_plugin_insn_vaddr(insn);
    for (size_t r = 0; r < region_count; r++) {
      if (vaddr == regions[r].begin)
        qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin, QEMU_PLUGIN_CB_NO_REGS, &regions[r]);
      if (vaddr == regions[r].end)
        qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end, QEMU_PLUGIN_CB_NO_REGS, &regions[r]);
    }
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &total_insns, 1);
  }
}

static void write_counts(qemu_plugin_id_t id, void* userdata) {
  (void)id;
  (void)userdata;
  FILE* f = out_path ? fopen(out_path, "w") : NULL;
  FILE* out = f ? f : stderr;
  fprintf(out, "total %" PRIu64 "\n", total_insns);
  for (size_t r = 0; r < region_count; r++)
    fprintf(out, "region %s %" PRIu64 " %" PRIu64 "\n", regions[r].name, regions[r].insns, regions[r].passes);
  if (f) fclose(f);
}

/* region=NAME:BEGIN:END, addresses in any strtoull base-0 notation. */
static int parse_region(const char* spec) {
  const char* colon = strchr(spec, ':');
  if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof regions[0].name) return -1;
  if (region_count == KILN_MAX_REGIONS) return -1;
  struct region* r = &regions[region_count];
  memset(r, 0, sizeof *r);
  memcpy(r->name, spec, (size_t)(colon - spec));
  char* rest = NULL;
  r->begin = strtoull(colon + 1, &rest, 0) & ~(uint64_t)1;
  if (!rest || *rest != ':') return -1;
  char* tail = NULL;
  r->end = strtoull(rest + 1, &tail, 0) & ~(uint64_t)1;
  if (!tail || *tail != '\0') return -1;
  region_count++;
  return 0;
}

KILN_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info, int argc,
                                           char** argv) {
  if (info->version.min > 1 || info->version.cur < 1) {
    fprintf(stderr, "kiln_count: QEMU plugin API %d..%d does not include version 1\n", info->version.min,
            info->version.cur);
    return -1;
  }
  for (int i = 0; i < argc; i++) {
    if (strncmp(argv[i], "out=", 4) == 0) {
      out_path = argv[i] + 4;
    } else if (strncmp(argv[i], "region=", 7) == 0) {
      if (parse_region(argv[i] + 7) != 0) {
        fprintf(stderr, "kiln_count: bad region '%s' (want region=NAME:BEGIN:END, at most %d)\n", argv[i] + 7,
                KILN_MAX_REGIONS);
        return -1;
      }
    } else {
      fprintf(stderr, "kiln_count: unknown argument '%s'\n", argv[i]);
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, write_counts, NULL);
  return 0;
}
