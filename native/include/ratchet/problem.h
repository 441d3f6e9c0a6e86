/*
 * ratchet/problem.h: the Ratchet Problem ABI, version 1. One header, plain C, nothing to link.
 *
 * A problem is one kind of kernel work (an RMSNorm, a GEMM, ...): its parameters, its variants,
 * the work one call does, inputs drawn from a seed, a launch, and a check against the problem's
 * own reference. Ratchet's harness times any problem the same way (CUDA events or a steady clock,
 * L2 flush, per-sample SM clocks, graph replay); the problem never times anything itself.
 *
 * A plugin is a shared library that exports one function, ratchet_problem_abi(), returning a
 * table of problems. Build it against this header alone:
 *
 *   g++ -O2 -shared -fPIC -I<ratchet>/native/include my_problems.cc -o libmy_problems.so
 *   nvcc -O3 -shared -Xcompiler -fPIC,-fvisibility=hidden -Xlinker -Bsymbolic -Xlinker --exclude-libs,ALL \
 *        -I<ratchet>/native/include -gencode arch=compute_90,code=sm_90 my_kernels.cu -o libmy_kernels.so
 *
 * (hidden visibility, -Bsymbolic and --exclude-libs keep the library's statically linked CUDA
 * runtime its own: two CUDA libraries in one process otherwise launch through each other's
 * kernel registrations). Put __global__ functions in a named namespace, not an anonymous one:
 * nvcc names an anonymous namespace after a hash of the file's path, so the same code built in
 * another directory would have other kernel names and never compare as A/A.
 *
 * Then name it in ratchet.config.json: "plugins": ["build/libmy_kernels.so"]. Ratchet loads it with
 * dlopen(RTLD_NOW | RTLD_LOCAL), calls ratchet_problem_abi() once, checks abi_version and the
 * table, and never unloads it. examples/cpu-plugin and examples/cuda-plugin are complete plugins.
 *
 * Kernel identity: Ratchet captures one launch into a CUDA graph and hashes, per kernel, its
 * machine code (from the library's fatbin, SASS per architecture), grid, block, cluster, dynamic
 * shared memory and function attributes, plus the variant; a CPU problem's identity is the hash
 * of the library's executable code plus the variant. Equal identities make a comparison A/A.
 *
 * Rules every function follows:
 *   - Parameters arrive as `const int64_t* params`: one value per declared parameter, in declared
 *     order. int: the value (already checked against min/max/values); bool: 0 or 1; enum: the
 *     index into that parameter's enum_values. Valid only during the call: copy what you keep.
 *   - Fallible calls return a ratchet_status and, when not RATCHET_OK, write a one-line
 *     NUL-terminated message (no newline, no trailing period needed) into the caller's
 *     `error` buffer of `error_size` bytes (truncate to fit). Ratchet prefixes it with the
 *     benchmark id and reports it as ERR_RATCHET_KERNEL_FAILED (or as below for other statuses).
 *   - Never print, exit, abort or throw across this boundary (C++ plugins: catch everything).
 *   - Threading: setup, fill_inputs, launch, check and teardown of one instance are called from one
 *     thread, never concurrently. Several instances of one problem may be alive at once.
 *     supports, default_variant and work may be called from any thread at any time: keep them
 *     pure functions of their arguments.
 *   - Ownership: every string and array in the table (names, params, variants) is owned by the
 *     plugin and must stay valid while the library is loaded (static storage). Instances are
 *     owned by the plugin: created by setup, freed by teardown.
 */
#ifndef RATCHET_PROBLEM_H
#define RATCHET_PROBLEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header. A plugin built against another version is refused at load with a
 * message naming both versions; rebuild it against this Ratchet's header. */
#define RATCHET_PROBLEM_ABI_VERSION 1u

/* The one symbol a plugin exports. */
#define RATCHET_PROBLEM_ENTRY_POINT "ratchet_problem_abi"

/* Marks the entry point exported even under -fvisibility=hidden:
 *   RATCHET_PLUGIN_EXPORT const ratchet_problem_table* ratchet_problem_abi(void) { return &table; } */
#ifdef __cplusplus
#define RATCHET_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))
#else
#define RATCHET_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* ---- status -------------------------------------------------------------------------------- */

/* What a fallible call returns. */
typedef int32_t ratchet_status;
/* Success. */
#define RATCHET_OK 0
/* The problem's own failure (bad state, a check it cannot run, ...): ERR_RATCHET_KERNEL_FAILED
 * with the message. */
#define RATCHET_FAILED (-1)
/* A host or device allocation failed: ERR_RATCHET_OUT_OF_MEMORY with the message (say how much
 * was needed and, on a GPU, how much was free). */
#define RATCHET_OUT_OF_MEMORY (-2)
/* These parameters cannot run after all (found only in setup, e.g. a size limit that depends on
 * the machine): ERR_RATCHET_UNSUPPORTED_SHAPE with the message. Prefer saying so in supports(). */
#define RATCHET_UNSUPPORTED (-3)
/* Any positive value: a cudaError_t the problem got from CUDA (CUDA problems only). Ratchet
 * treats it as a CUDA failure: a sticky fault (illegal address, ...) poisons the device for the
 * rest of the process (ERR_RATCHET_DEVICE_UNUSABLE afterwards); cudaErrorNoKernelImageForDevice
 * (209) is reported as a plugin built for other GPU architectures (ERR_RATCHET_PLUGIN, naming
 * the architectures its fatbin has). Returning `(ratchet_status)cudaGetLastError()` after a launch
 * is the usual way to use this. */

/* ---- parameters ---------------------------------------------------------------------------- */

typedef enum {
  RATCHET_PARAM_INT = 1,  /* an integer in [min, max], or one of int_values when given */
  RATCHET_PARAM_ENUM = 2, /* one of enum_values (strings, e.g. dtypes) */
  RATCHET_PARAM_BOOL = 3  /* a flag */
} ratchet_param_type;

/* One declared parameter. Benchmarks name it in ratchet.config.json; its value reaches every
 * function through `params`. The declaration order is the order of the benchmark id:
 * <problem>/<enum values, '/'-joined>/<ints as name+value and true bools as name, '_'-joined>,
 * e.g. rmsnorm/bf16/rows4096_cols8192. */
typedef struct ratchet_param {
  /* [A-Za-z][A-Za-z0-9]*, unique within the problem, not "kernel". */
  const char* name;
  /* One short phrase ("head dim", "rows of x"); NULL when the name says it. */
  const char* description;
  /* A ratchet_param_type. */
  int32_t type;
  /* RATCHET_PARAM_INT: the inclusive range, min <= max, within +-2^53 (JavaScript numbers);
   * ignored otherwise. */
  int64_t min, max;
  /* RATCHET_PARAM_INT, optional: the only allowed values (each within [min, max]); NULL and 0
   * when any integer of the range is allowed. */
  const int64_t* int_values;
  uint32_t int_value_count;
  /* RATCHET_PARAM_ENUM: the allowed values, at least one, each [A-Za-z0-9_.-]+, unique; the
   * value passed is the index into this array. NULL and 0 otherwise. */
  const char* const* enum_values;
  uint32_t enum_value_count;
} ratchet_param;

/* ---- what functions report ----------------------------------------------------------------- */

/* The work of one launch: what turns a time into TFLOP/s, GB/s and a fraction of the roof. */
typedef struct ratchet_work {
  /* Floating-point operations of one launch (count, not rate). */
  double flops;
  /* The fewest bytes one launch must move to and from device (or main) memory: each input read
   * once, each output written once. */
  double bytes;
} ratchet_work;

/* The outcome of one check, written by check() into a zeroed struct the caller owns. */
typedef struct ratchet_check_result {
  /* Nonzero when the output is within tolerance of the reference and fully written. */
  int32_t passed;
  /* max |output - reference| over the compared elements. */
  double max_abs_error;
  /* The error measure the tolerance bounds (e.g. ||output - reference|| / ||reference||). */
  double rel_error;
  /* The bound rel_error must not exceed. */
  double tolerance;
  /* Sum and sum of |x| over the whole output, so runs on two backends can be compared; NaN when
   * not computed. */
  double output_sum;
  double output_abs_sum;
  /* What the output was compared with, e.g. "cpu-fp64" or "cuda-fp64-reference". */
  char reference[128];
  /* Empty when passed; otherwise why not, in one line ("37 outputs are NaN (unwritten)"). */
  char detail[512];
} ratchet_check_result;

/* ---- a problem ----------------------------------------------------------------------------- */

typedef enum {
  RATCHET_DEVICE_CPU = 1, /* runs on the calling thread; `stream` is NULL; timed by a steady clock */
  RATCHET_DEVICE_CUDA = 2 /* enqueues work on `stream`; timed by CUDA events around launch() */
} ratchet_device_kind;

typedef struct ratchet_problem {
  /* The `kernel` of a benchmark: [A-Za-z0-9_.-]+. Unique per device kind within the table; the
   * same name may appear once for CPU and once for CUDA when both declare identical params (one
   * problem with two backends, like the built-in flash_fwd). Unique across all loaded plugins
   * and the built-ins (flash_fwd, rmsnorm). */
  const char* name;
  /* One line: what it computes ("y = x * rsqrt(mean(x^2) + eps) * w over rows x cols"). */
  const char* summary;
  /* A ratchet_device_kind. */
  int32_t device;
  /* The parameters, in id order; param_count may be 0. */
  const ratchet_param* params;
  uint32_t param_count;
  /* Variant names, at least one, each [A-Za-z0-9_.-]+ and unique; results and tuning files
   * record the name, so keep names stable. Functions receive the index. */
  const char* const* variants;
  uint32_t variant_count;

  /* Nonzero when `variant` can run `params` on a device of compute capability `sm` (e.g. 90 for
   * 9.0; 0 for CPU problems). When it cannot, write why (one line) into `why`. Never fails. */
  int32_t (*supports)(const int64_t* params, int32_t variant, int32_t sm, char* why, size_t why_size);
  /* The variant to run when none is chosen, or -1 when none supports `params` on `sm`. */
  int32_t (*default_variant)(const int64_t* params, int32_t sm);
  /* The work of one launch with these params. Never fails. */
  void (*work)(const int64_t* params, ratchet_work* work);

  /* Allocates an instance: inputs and outputs for `params`, for `variant`, on CUDA device
   * `device` (CPU problems: 0). CUDA problems call cudaSetDevice(device) first (a plugin links
   * its own CUDA runtime). Fill the inputs from `seed` (never all zeros). *instance receives the
   * plugin's handle. Called once per session; teardown() is called only when this succeeded. */
  ratchet_status (*setup)(const int64_t* params, int32_t variant, int32_t device, uint32_t seed, void** instance,
                          char* error, size_t error_size);
  /* Before a check: draws fresh inputs from `seed` (Ratchet passes a new seed per check) and
   * poisons every output (NaN), so an element the launch fails to write is caught. CUDA: enqueue
   * on `stream` or synchronize before returning. */
  ratchet_status (*fill_inputs)(void* instance, void* stream, uint32_t seed, char* error, size_t error_size);
  /* The timed call: run `variant` once on the instance's inputs. CUDA problems only enqueue work
   * on `stream` (a cudaStream_t): no synchronization, allocation or host copies, because Ratchet
   * times it with events and captures it into CUDA graphs (for replay, and to identify the
   * kernels it launches: their names, grids, blocks and attributes). CPU problems get NULL and
   * do the work before returning. Must be repeatable on the same inputs: on CUDA, Ratchet also
 * launches once when a session opens and then captures one launch, before any check. */
  ratchet_status (*launch)(void* instance, void* stream, char* error, size_t error_size);
  /* After fill_inputs and one launch (which Ratchet makes and synchronizes): compares the output
   * with the problem's own reference (computed from the same inputs, in higher precision) and
   * fills *result. A failed comparison is result->passed = 0 with a detail, not an error; return
   * an error only when the check itself could not run. May synchronize `stream`. */
  ratchet_status (*check)(void* instance, void* stream, ratchet_check_result* result, char* error, size_t error_size);
  /* Frees the instance. Also called after a CUDA fault: ignore errors, never fail. */
  void (*teardown)(void* instance);
} ratchet_problem;

/* What ratchet_problem_abi() returns: static storage, valid while the library is loaded. */
typedef struct ratchet_problem_table {
  /* RATCHET_PROBLEM_ABI_VERSION of the header the plugin was built with. Stays the first field in
   * every version, so any Ratchet can read it and name both versions on a mismatch. */
  uint32_t abi_version;
  /* sizeof(ratchet_problem) as the plugin saw it: catches a header edited by hand. */
  uint32_t problem_size;
  /* The problems, at least one. */
  const ratchet_problem* problems;
  uint32_t problem_count;
} ratchet_problem_table;

/* The entry point's type. */
typedef const ratchet_problem_table* (*ratchet_problem_abi_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* RATCHET_PROBLEM_H */
