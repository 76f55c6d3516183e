// A main() for fuzz targets built without libFuzzer: runs LLVMFuzzerTestOneInput once on each
// file named on the command line, recursing into directories in sorted order, so ctest can
// replay seed corpora and crash reproducers with any compiler.
//
//   saxion_codec_fuzz fuzz/saxion/codec_fuzz_corpus crash-1234
//
// Arguments starting with '-' are libFuzzer flags; they are passed to LLVMFuzzerInitialize and
// otherwise ignored. Exit status: 0 when every input ran, 1 on an unreadable path or an empty
// argument list, and whatever the crash does (abort, trap, sanitizer) if an input crashes.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace fs = std::filesystem;

namespace {

// The input being replayed, for the crash handler (which may only use async-signal-safe calls).
char g_current[4096] = "";

void on_crash(int sig) {
  static const char prefix[] = "\nstandalone fuzz replay: crashed on input: ";
  (void)!write(STDERR_FILENO, prefix, sizeof prefix - 1);
  (void)!write(STDERR_FILENO, g_current, strnlen(g_current, sizeof g_current));
  (void)!write(STDERR_FILENO, "\n", 1);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

bool read_file(const fs::path& path, std::vector<std::uint8_t>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// Appends the regular files under `path` (or `path` itself), sorted, to `files`.
bool collect(const fs::path& path, std::vector<fs::path>& files) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    std::fprintf(stderr, "standalone fuzz replay: cannot read '%s': %s\n", path.c_str(),
                 ec ? ec.message().c_str() : "no such file or directory");
    return false;
  }
  if (!fs::is_directory(status)) {
    files.push_back(path);
    return true;
  }
  std::vector<fs::path> found;
  fs::recursive_directory_iterator it(path, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    if (it->is_regular_file(ec2)) found.push_back(it->path());
  }
  if (ec) {
    std::fprintf(stderr, "standalone fuzz replay: cannot read directory '%s': %s\n", path.c_str(),
                 ec.message().c_str());
    return false;
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);

  std::vector<fs::path> files;
  bool any_path = false;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-') continue;  // a libFuzzer flag
    any_path = true;
    if (!collect(argv[i], files)) return 1;
  }
  if (!any_path) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n  replays each input through LLVMFuzzerTestOneInput\n",
                 argc > 0 ? argv[0] : "fuzz-target");
    return 1;
  }

  for (int sig : {SIGABRT, SIGSEGV, SIGILL, SIGFPE, SIGBUS, SIGTRAP}) std::signal(sig, on_crash);

  std::vector<std::uint8_t> data;
  std::size_t replayed = 0;
  for (const auto& file : files) {
    if (!read_file(file, data)) {
      std::fprintf(stderr, "standalone fuzz replay: cannot read '%s': %s\n", file.c_str(), std::strerror(errno));
      return 1;
    }
    std::snprintf(g_current, sizeof g_current, "%s", file.c_str());
    // Copy into an exact-size heap buffer so ASan catches reads past the end, as libFuzzer does
    // (new[] of 0 bytes still gives a valid, unique pointer).
    std::unique_ptr<std::uint8_t[]> exact(new std::uint8_t[data.size()]);
    std::copy(data.begin(), data.end(), exact.get());
    LLVMFuzzerTestOneInput(exact.get(), data.size());
    ++replayed;
  }
  std::printf("replayed %zu inputs\n", replayed);
  return 0;
}
