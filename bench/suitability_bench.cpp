// Land-suitability kernel on data in memory: loads the input rasters whole, times
// suitability::evaluate_block over every cell (best of --repeat runs, on 1 thread
// and on --threads threads) and writes the outputs as raw files for
// bench/suitability_numpy.py to compare with numpy's. Run by bench/suitability_bench.sh.
//
//   suitability_bench --crop rice_upland --method limiting --threads 2 --repeat 3
//                     [--kernel portable] [--small-pages] --out PREFIX NAME=RASTER...
//
// --kernel portable times evaluate_block_portable (the kernel every CPU runs) instead
// of evaluate_block (which takes the AVX-512 or AVX2 kernel where the CPU has it).
// --small-pages keeps the arrays in 4 KiB pages (see Buffer).
#include <sys/mman.h>
#include <time.h>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/embedded_data.hpp"
#include "geo/raster_io.hpp"
#include "modules/suitability/evaluate.hpp"
#include "modules/suitability/evaluate_kernels.hpp"

using namespace nongsan;

namespace {

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "suitability_bench: %s\n", msg.c_str());
  std::exit(2);
}

// An array on a 2 MiB boundary whose pages the kernel may make huge ones (madvise
// MADV_HUGEPAGE), unless --small-pages: what numpy does with its own large arrays on
// Linux (numpy.core.multiarray._get_madvise_hugepage() is True by default), so both
// sides read and write memory through the same page size, and what the nongsan
// binary's allocator does with the rasters' blocks (src/cli/allocator_settings.cpp).
// Zero-filled, so that its pages exist before the timing.
bool g_huge_pages = true;
template <typename T>
class Buffer {
 public:
  explicit Buffer(std::size_t n) : bytes_((std::max<std::size_t>(n, 1) * sizeof(T) + kHuge - 1) / kHuge * kHuge) {
    p_ = static_cast<T*>(std::aligned_alloc(kHuge, bytes_));
    if (!p_) die("out of memory");
    if (g_huge_pages) madvise(p_, bytes_, MADV_HUGEPAGE);
    std::memset(p_, 0, bytes_);
  }
  ~Buffer() { std::free(p_); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& o) noexcept : p_(std::exchange(o.p_, nullptr)), bytes_(o.bytes_) {}
  T* data() { return p_; }
  T& operator[](std::size_t i) { return p_[i]; }

 private:
  static constexpr std::size_t kHuge = std::size_t{2} << 20;
  T* p_ = nullptr;
  std::size_t bytes_ = 0;
};

template <typename T>
void write_raw(const std::string& path, const T* v, std::size_t n) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v), static_cast<std::streamsize>(n * sizeof(T)));
  if (!out) die("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
  std::string crop = "rice_upland", method_s = "limiting", out, kernel = "auto";
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency())), repeat = 3;
  std::vector<std::pair<std::string, std::string>> layers;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--crop") crop = next();
    else if (a == "--method") method_s = next();
    else if (a == "--threads") threads = std::stoi(next());
    else if (a == "--repeat") repeat = std::stoi(next());
    else if (a == "--out") out = next();
    else if (a == "--kernel") kernel = next();
    else if (a == "--small-pages") g_huge_pages = false;
    else if (auto eq = a.find('='); eq != std::string::npos) layers.emplace_back(a.substr(0, eq), a.substr(eq + 1));
    else die("unknown argument " + a);
  }
  auto list = suitability::parse_crop_profiles(nlohmann::json::parse(*app::embedded_file("crop-profiles.json")));
  if (!list) die(list.error().message);
  suitability::CropProfile profile;
  for (auto& p : *list)
    if (p.crop == crop) profile = p;
  if (profile.crop.empty()) die("no shipped crop " + crop);
  auto method = suitability::parse_method(method_s);
  if (!method) die("unknown method " + method_s);
  auto cp = suitability::compile(profile, *method);
  if (!cp) die(cp.error().message);
  if (layers.empty()) die("no layer");
  if (kernel != "auto" && kernel != "portable") die("--kernel takes auto or portable");
  const auto evaluate = kernel == "portable" ? &suitability::evaluate_block_portable : &suitability::evaluate_block;

  // Load every input whole, as float32 (the inputs are Byte and Float32).
  auto first = geo::inspect_raster(layers.front().second);
  if (!first) die(first.error().message);
  const auto grid = first->grid;
  const std::size_t n = static_cast<std::size_t>(grid.width) * grid.height;
  geo::RasterSession session;
  std::vector<Buffer<float>> data;
  std::vector<suitability::LayerData> inputs;
  data.reserve(cp->factors.size());
  for (const auto& f : cp->factors) {
    auto it = std::find_if(layers.begin(), layers.end(), [&](auto& l) { return l.first == f.layer; });
    if (it == layers.end()) die("missing layer " + f.layer);
    auto gl = session.prepare(f.layer, it->second, grid, geo::Resampling::nearest);
    if (!gl) die(gl.error().message);
    if (gl->is_double || gl->warped) die(f.layer + ": the benchmark wants aligned float32-exact inputs");
    auto reader = geo::LayerReader::open(*gl);
    if (!reader) die(reader.error().message);
    data.emplace_back(n);
    for (int y = 0; y < grid.height; y += 256) {
      int h = std::min(256, grid.height - y);
      if (auto st = (*reader)->read(0, y, grid.width, h, data.back().data() + static_cast<std::size_t>(y) * grid.width); !st)
        die(st.error().message);
    }
    inputs.push_back({data.back().data(), suitability::SampleType::f32, gl->nodata});
  }
  Buffer<uint8_t> cls(n), lim(n);
  Buffer<float> idx(n);

  auto run = [&](int t) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    const std::size_t part = (n + t - 1) / t;
    for (int k = 0; k < t; ++k) {
      pool.emplace_back([&, k] {
        std::size_t a = k * part, b = std::min(n, a + part);
        if (a >= b) return;
        std::vector<suitability::LayerData> in = inputs;
        for (auto& l : in) l.data = static_cast<const float*>(l.data) + a;
        evaluate(*cp, in, b - a, cls.data() + a, lim.data() + a, idx.data() + a);
      });
    }
    for (auto& th : pool) th.join();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  // One thread: CPU time of the calling thread, which other jobs on a shared machine
  // do not inflate (wall time is printed too).
  auto thread_cpu = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
  };
  double best1 = 1e30, bestn = 1e30, best1_wall = 1e30;
  for (int r = 0; r < repeat; ++r) {
    double c0 = thread_cpu();
    auto t0 = std::chrono::steady_clock::now();
    evaluate(*cp, inputs, n, cls.data(), lim.data(), idx.data());
    best1_wall = std::min(best1_wall, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    best1 = std::min(best1, thread_cpu() - c0);
  }
  for (int r = 0; r < repeat; ++r) bestn = std::min(bestn, run(threads));
  std::printf("cells %zu factors %zu method %s\n", n, cp->factors.size(), method_s.c_str());
  std::printf("kernel %s\n", kernel == "portable" ? "portable" : std::string(suitability::block_kernel(*cp, inputs)).c_str());
  std::printf("cpp_kernel_1thread_cpu_s %.4f\n", best1);
  std::printf("cpp_kernel_1thread_wall_s %.4f\n", best1_wall);
  std::printf("cpp_kernel_%dthreads_s %.4f\n", threads, bestn);
  // The kernel every CPU runs, in the same process on the same data, for the
  // comparison of the two (1 thread, CPU time); its outputs must equal the fast one's.
  if (kernel == "auto" && suitability::block_kernel(*cp, inputs) != "portable") {
    Buffer<uint8_t> cls2(n), lim2(n);
    Buffer<float> idx2(n);
    double bestp = 1e30;
    for (int r = 0; r < repeat; ++r) {
      double c0 = thread_cpu();
      suitability::evaluate_block_portable(*cp, inputs, n, cls2.data(), lim2.data(), idx2.data());
      bestp = std::min(bestp, thread_cpu() - c0);
    }
    std::size_t differ = 0;
    for (std::size_t i = 0; i < n; ++i)
      differ += cls[i] != cls2[i] || lim[i] != lim2[i] ||
                (std::memcmp(&idx[i], &idx2[i], sizeof(float)) != 0 && !(idx[i] != idx[i] && idx2[i] != idx2[i]));
    std::printf("cpp_portable_1thread_cpu_s %.4f\n", bestp);
    std::printf("cpp_portable_cells_differ %zu\n", differ);
  }
  if (!out.empty()) {
    write_raw(out + ".cls", cls.data(), n);
    write_raw(out + ".lim", lim.data(), n);
    write_raw(out + ".idx", idx.data(), n);
  }
  return 0;
}
