// Executions per second of one in-process fuzz target, printed as a figure (not a test). Linked
// once with each fuzz/<protocol>/<name>.cc as <protocol>_<name>_exec_bench. It replays the
// target's seed corpus, each input first passed through the target's custom mutator when it has
// one (as libFuzzer's loop would), for a fixed time: the cost of the target itself, without
// libFuzzer's coverage bookkeeping. bench/fuzz_exec.sh runs every target in a plain and an
// ASan+UBSan build side by side, next to real libFuzzer runs.
//
// In a build without sanitizers it also counts the heap allocations (operator new) per run:
// under ASan each one costs far more than the work around it, so this is the figure that decides
// a target's speed under libFuzzer.
//
//   <target>_exec_bench [seconds] [corpus dir]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                                                     std::size_t max_size, unsigned int seed);

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_BENCH_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_BENCH_SANITIZED 1
#endif

namespace {
std::size_t allocations = 0, allocated_bytes = 0;
}

#ifndef FUZZ_BENCH_SANITIZED
// Counting replacements of the global allocation functions (ASan has its own, so not there).
void* operator new(std::size_t n) {
  ++allocations;
  allocated_bytes += n;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // they pair with the operator new above
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop
#endif

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5.0;
  const std::filesystem::path dir = argc > 2 ? argv[2] : FUZZ_BENCH_CORPUS;
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::string> corpus;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream f(e.path(), std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "no inputs in %s\n", dir.c_str());
    return 1;
  }
  // The target's max_len (its .options file), as libFuzzer would cap inputs.
  const std::size_t max_len = FUZZ_BENCH_MAX_LEN;
  std::vector<std::uint8_t> buf(max_len);
  std::size_t runs = 0, bytes = 0, mutator_allocations = 0;
  const std::size_t allocations_before = allocations, allocated_bytes_before = allocated_bytes;
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  for (unsigned seed = 1; elapsed < seconds; ++seed) {
    const std::string& input = corpus[seed % corpus.size()];
    std::size_t size = std::min(input.size(), max_len);
    std::copy(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(size), buf.begin());
    if (LLVMFuzzerCustomMutator) {
      const std::size_t before = allocations;
      size = LLVMFuzzerCustomMutator(buf.data(), size, max_len, seed);
      mutator_allocations += allocations - before;
    }
    LLVMFuzzerTestOneInput(buf.data(), size);
    ++runs;
    bytes += size;
    if (runs % 16 == 0) elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::string alloc_figures;
#ifndef FUZZ_BENCH_SANITIZED
  alloc_figures = ", " + std::to_string((allocations - allocations_before) / runs) + " allocations of " +
                  std::to_string((allocated_bytes - allocated_bytes_before) / runs) + " B per run (" +
                  std::to_string(mutator_allocations / runs) + " of them in the mutator)";
#endif
  std::printf("%-22s %9.0f exec/s  (%zu runs in %.1f s, mean input %zu B, %zu seeds%s%s)\n", FUZZ_BENCH_NAME,
              runs / elapsed, runs, elapsed, bytes / runs, corpus.size(),
              LLVMFuzzerCustomMutator ? ", each through the custom mutator" : "", alloc_figures.c_str());
}
