#include "modules/suitability/raster_evaluation.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "geo/raster_io.hpp"
#include "modules/suitability/evaluate.hpp"

namespace nongsan::suitability {

namespace {

// One window of the output grid.
struct Window {
  int x0, y0, w, h;
};

std::vector<Window> windows_of(int width, int height) {
  // 256 rows (the output's tile height, so that every write fills whole tiles) and
  // at most 1M cells, so that a thread holds at most a few tens of MB.
  constexpr int kRows = 256;
  constexpr long kMaxCells = 1 << 20;
  int cols = width;
  if (static_cast<long>(cols) * kRows > kMaxCells) cols = static_cast<int>(kMaxCells / kRows);
  std::vector<Window> out;
  for (int y = 0; y < height; y += kRows)
    for (int x = 0; x < width; x += cols) out.push_back({x, y, std::min(cols, width - x), std::min(kRows, height - y)});
  return out;
}

std::string resampling_name(geo::Resampling r) { return r == geo::Resampling::nearest ? "nearest" : "bilinear"; }

}  // namespace

Result<PointEvaluation> evaluate_point(const CropProfile& profile, std::optional<Method> method,
                                       const std::vector<LayerSource>& layers, double lon, double lat) {
  Method m = method.value_or(profile.method);
  if (auto st = check_method(profile, m); !st) return st.error();
  PointEvaluation out;
  std::vector<FieldError> missing;
  for (std::size_t i = 0; i < profile.factors.size(); ++i) {
    const Factor& f = profile.factors[i];
    auto it = std::find_if(layers.begin(), layers.end(), [&](const LayerSource& l) { return l.name == f.layer; });
    double v = std::numeric_limits<double>::quiet_NaN();
    if (it == layers.end()) {
      if (!f.advisory)
        missing.push_back({"--layer " + f.layer, "factors[" + std::to_string(i) + "] needs layer '" + f.layer + "'"});
    } else {
      auto s = geo::sample_raster(it->path, lon, lat);
      if (!s) return Error::invalid("layer '" + f.layer + "': " + s.error().message);
      if (*s) v = **s;
    }
    out.values.push_back(v);
  }
  if (!missing.empty()) return Error::invalid("a layer the profile needs is missing", std::move(missing));
  out.result = evaluate_cell(profile, m, out.values);
  return out;
}

Result<EvaluateSummary> evaluate_rasters(const EvaluateRequest& rq) {
  auto started = std::chrono::steady_clock::now();
  EvaluateSummary sum;
  sum.method = rq.method.value_or(rq.profile.method);
  auto cp = compile(rq.profile, sum.method);
  if (!cp) return cp.error();
  if (rq.layers.empty()) return Error::invalid("no layer given", {{"--layer", "give at least one NAME=RASTER"}});
  if (rq.class_path.empty()) return Error::invalid("no output given", {{"--out", "is required"}});

  // Layers by name; a name given twice is a mistake.
  std::map<std::string, std::string> given;
  for (const auto& l : rq.layers) {
    if (l.name.empty() || l.path.empty())
      return Error::invalid("bad layer", {{"--layer", "must be NAME=RASTER, not '" + l.name + "=" + l.path + "'"}});
    if (!given.emplace(l.name, l.path).second)
      return Error::invalid("layer '" + l.name + "' is given twice", {{"--layer", l.name}});
  }
  const auto& profile = rq.profile;
  for (const auto& l : rq.layers) {
    auto fi = profile.factor_index(l.name);
    if (!fi)
      sum.notes.push_back("layer '" + l.name + "' is not used by profile '" + profile.crop + "'");
    else if (profile.factors[*fi].advisory)
      sum.notes.push_back("layer '" + l.name + "' is an advisory factor: shown, but it does not decide the class");
  }

  // Missing layers: slope and aspect can come from elevation, anything else is an error.
  std::vector<FieldError> missing;
  for (const auto& f : cp->factors) {
    if (given.count(f.layer)) continue;
    if ((f.layer == "slope" || f.layer == "aspect") && given.count("elevation")) continue;
    std::string hint = (f.layer == "slope" || f.layer == "aspect") ? " (or an elevation layer to derive it from)" : "";
    missing.push_back({"--layer " + f.layer,
                       "factors[" + std::to_string(f.position - 1) + "] of profile '" + profile.crop +
                           "' needs layer '" + f.layer + "': give --layer " + f.layer + "=RASTER" + hint});
  }
  if (!missing.empty()) return Error::invalid("a layer the profile needs is missing", std::move(missing));

  auto first = geo::inspect_raster(rq.layers.front().path);
  if (!first) return Error::invalid("layer '" + rq.layers.front().name + "': " + first.error().message);
  const geo::RasterGrid grid = first->grid;
  sum.width = grid.width;
  sum.height = grid.height;
  sum.crs = grid.crs_name;
  sum.cell_area_m2 = grid.cell_area_m2;

  geo::RasterSession session;
  std::vector<geo::GridLayer> layers;
  std::string temp_dir = rq.temp_dir;
  if (temp_dir.empty()) {
    std::error_code ec;
    temp_dir = std::filesystem::temp_directory_path(ec).string();
  }
  for (const auto& f : cp->factors) {
    auto resampling = f.type == FactorType::categorical ? geo::Resampling::nearest : geo::Resampling::bilinear;
    Result<geo::GridLayer> layer = geo::GridLayer{};
    if (auto it = given.find(f.layer); it != given.end()) {
      layer = session.prepare(f.layer, it->second, grid, resampling);
    } else {
      auto product = f.layer == "slope" ? geo::DemProduct::slope : geo::DemProduct::aspect;
      layer = session.derive(product, f.layer, given.at("elevation"), grid, temp_dir);
      if (layer)
        sum.notes.push_back(f.layer + " derived from the elevation layer by GDAL's DEM processing" +
                            (f.layer == "slope" ? " (degrees)" : " (degrees from north; flat cells are nodata)"));
    }
    if (!layer) return layer.error();
    if (layer->warped)
      sum.notes.push_back("layer '" + f.layer + "' put on the grid of '" + rq.layers.front().name + "' (" +
                          resampling_name(resampling) + ")");
    layers.push_back(std::move(*layer));
  }

  // Outputs.
  int threads = rq.threads > 0 ? rq.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  geo::WriterOptions wo;
  wo.creation_options = rq.creation_options;
  wo.threads = threads;
  wo.type = geo::RasterType::byte;
  wo.nodata = 0;
  wo.description = "suitability class of " + profile.crop + " (" + std::string(method_name(sum.method)) + ")";
  wo.categories = {{"nodata", {0, 0, 0}},
                   {"S1", {26, 150, 65}},
                   {"S2", {166, 217, 106}},
                   {"S3", {253, 174, 97}},
                   {"N", {215, 25, 28}}};
  auto cls_out = geo::RasterWriter::create(rq.class_path, grid, wo);
  if (!cls_out) return cls_out.error();
  std::unique_ptr<geo::RasterWriter> lim_out, idx_out;
  if (!rq.limiting_path.empty()) {
    geo::WriterOptions lo = wo;
    lo.nodata.reset();  // 0 means "no limiting factor" as well as nodata
    lo.description = "limiting factor (1-based position in profile " + profile.crop + ")";
    lo.categories = {{"none", {255, 255, 255}}};
    for (std::size_t i = 0; i < profile.factors.size(); ++i)
      lo.categories.push_back({profile.factors[i].layer,
                               {static_cast<uint8_t>(60 + (i * 97) % 190), static_cast<uint8_t>(40 + (i * 53) % 200),
                                static_cast<uint8_t>(90 + (i * 151) % 160)}});
    auto w = geo::RasterWriter::create(rq.limiting_path, grid, lo);
    if (!w) return w.error();
    lim_out = std::move(*w);
  }
  if (!rq.index_path.empty()) {
    geo::WriterOptions io = wo;
    io.type = geo::RasterType::float32;
    io.nodata = std::numeric_limits<double>::quiet_NaN();
    io.categories.clear();
    io.description = std::string(method_name(sum.method)) + " index of " + profile.crop;
    if (sum.method == Method::limiting)
      sum.notes.push_back("the limiting method computes no index: " + rq.index_path + " holds NaN");
    auto w = geo::RasterWriter::create(rq.index_path, grid, io);
    if (!w) return w.error();
    idx_out = std::move(*w);
  }

  // The pool.
  auto wins = windows_of(grid.width, grid.height);
  threads = std::min<int>(threads, static_cast<int>(std::max<std::size_t>(1, wins.size())));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;  // guards first_error, counts, progress
  std::optional<Error> first_error;
  std::size_t done = 0;
  const std::size_t nf = cp->factors.size();
  sum.limiting_cells.assign(profile.factors.size() + 1, 0);

  auto worker = [&] {
    std::vector<std::unique_ptr<geo::LayerReader>> readers;
    for (const auto& l : layers) {
      auto r = geo::LayerReader::open(l);
      if (!r) {
        std::lock_guard lock(mu);
        if (!first_error) first_error = r.error();
        stop = true;
        return;
      }
      readers.push_back(std::move(*r));
    }
    std::vector<std::vector<double>> buf(nf);  // sized for float64; float32 layers use half
    std::vector<LayerData> in(nf);
    std::vector<uint8_t> cls, lim;
    std::vector<float> idx;
    std::array<std::uint64_t, 5> ccount{};
    std::vector<std::uint64_t> lcount(profile.factors.size() + 1, 0);
    auto fail = [&](const Error& e) {
      std::lock_guard lock(mu);
      if (!first_error) first_error = e;
      stop = true;
    };
    while (!stop) {
      std::size_t k = next++;
      if (k >= wins.size()) break;
      const Window& w = wins[k];
      std::size_t n = static_cast<std::size_t>(w.w) * w.h;
      for (std::size_t f = 0; f < nf; ++f) {
        std::size_t doubles = layers[f].is_double ? n : (n + 1) / 2;
        if (buf[f].size() < doubles) buf[f].resize(doubles);
        if (auto st = readers[f]->read(w.x0, w.y0, w.w, w.h, buf[f].data()); !st) return fail(st.error());
        in[f] = {buf[f].data(), layers[f].is_double ? SampleType::f64 : SampleType::f32, layers[f].nodata};
      }
      cls.resize(n);
      if (lim_out) lim.resize(n);
      if (idx_out) idx.resize(n);
      evaluate_block(*cp, in, n, cls.data(), lim_out ? lim.data() : nullptr, idx_out ? idx.data() : nullptr);
      if (auto st = (*cls_out)->write(w.x0, w.y0, w.w, w.h, cls.data()); !st) return fail(st.error());
      if (lim_out)
        if (auto st = lim_out->write(w.x0, w.y0, w.w, w.h, lim.data()); !st) return fail(st.error());
      if (idx_out)
        if (auto st = idx_out->write(w.x0, w.y0, w.w, w.h, idx.data()); !st) return fail(st.error());
      for (std::size_t i = 0; i < n; ++i) ++ccount[cls[i]];
      if (lim_out)
        for (std::size_t i = 0; i < n; ++i) ++lcount[lim[i]];
      if (rq.progress) {
        std::lock_guard lock(mu);
        ++done;
        rq.progress(static_cast<double>(done) / static_cast<double>(wins.size()));
      }
    }
    std::lock_guard lock(mu);
    for (int c = 0; c < 5; ++c) sum.class_cells[c] += ccount[c];
    for (std::size_t i = 0; i < lcount.size(); ++i) sum.limiting_cells[i] += lcount[i];
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  // Nothing half-written stays behind: on failure the outputs are removed.
  auto discard = [&](const Error& e) -> Result<EvaluateSummary> {
    cls_out->reset();
    lim_out.reset();
    idx_out.reset();
    for (const auto* p : {&rq.class_path, &rq.limiting_path, &rq.index_path})
      if (!p->empty()) {
        std::error_code ec;
        std::filesystem::remove(*p, ec);
      }
    return e;
  };
  if (first_error) return discard(*first_error);
  for (auto* w : {cls_out->get(), lim_out.get(), idx_out.get()})
    if (w)
      if (auto st = w->close(); !st) return discard(st.error());
  if (!lim_out) sum.limiting_cells.clear();
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return sum;
}

}  // namespace nongsan::suitability
