#include "modules/suitability/grid_evaluation.hpp"

#include <cmath>
#include <limits>

namespace nongsan::suitability {

Result<std::filesystem::path> LayerSet::path_of(const RasterLayerRecord& l) const {
  auto p = folder.resolve(l.path);
  if (!p)
    return Error::invalid("the file of raster layer '" + l.name + "' is not inside the raster folder",
                          {{"layers." + l.name, "register the layer again with a file inside the raster folder"}});
  return p;
}

Error LayerSet::layer_error(const RasterLayerRecord& l, const std::filesystem::path& file, Error e) const {
  e.message = "layer '" + l.name + "': " + folder.without_server_paths(e.message, file);
  for (auto& f : e.fields) {
    f.message = folder.without_server_paths(f.message, file);
    if (f.field == "path") f.field = "layers." + l.name;
  }
  return e;
}

const RasterLayerRecord* LayerSet::find(const std::string& name) const {
  for (const auto& l : layers)
    if (l.name == name) return &l;
  return nullptr;
}

GridGeometry EvaluatedGrid::geometry() const {
  GridGeometry g;
  g.x0 = grid.gt[0];
  g.dx = grid.gt[1];
  g.y0 = grid.gt[3];
  g.dy = grid.gt[5];
  g.width = grid.width;
  g.height = grid.height;
  return g;
}

namespace {
Status missing_layer(const CropProfile& p, std::size_t i) {
  return Error::invalid("a layer the profile needs is not registered",
                        {{"factors[" + std::to_string(i) + "].layer",
                          "no raster layer named '" + p.factors[i].layer + "' is registered (crop " + p.crop + ")"}});
}
}  // namespace

Result<geo::TargetGrid> reference_grid(const CropProfile& p, const LayerSet& layers) {
  for (std::size_t i = 0; i < p.factors.size(); ++i) {
    if (p.factors[i].advisory) continue;
    const auto* l = layers.find(p.factors[i].layer);
    if (!l) return missing_layer(p, i).error();
    auto file = layers.path_of(*l);
    if (!file) return file.error();
    auto info = geo::raster_info(*file);
    if (!info) return layers.layer_error(*l, *file, info.error());
    return info->grid;
  }
  return Error::invalid("the profile has no factor that limits the class", {{"factors", "every factor is advisory"}});
}

Result<EvaluatedGrid> evaluate_on_grid(const CropProfile& p, const LayerSet& layers, const geo::TargetGrid& grid,
                                       bool nearest_all) {
  auto cp = compile(p, p.method);
  if (!cp) return cp.error();
  std::vector<std::vector<float>> data;
  std::vector<LayerData> inputs;
  for (const auto& f : cp->factors) {
    const auto* l = layers.find(f.layer);
    if (!l) return missing_layer(p, f.position - 1).error();
    bool nearest = nearest_all || f.type == FactorType::categorical || l->kind == LayerKind::categorical;
    auto file = layers.path_of(*l);
    if (!file) return file.error();
    auto v = geo::read_on_grid(*file, grid, nearest);
    if (!v) return layers.layer_error(*l, *file, v.error());
    data.push_back(std::move(*v));
  }
  for (const auto& d : data) inputs.push_back({d.data(), SampleType::f32, std::nullopt});
  EvaluatedGrid out;
  out.grid = grid;
  std::size_t n = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
  out.classes.assign(n, 0);
  out.limiting.assign(n, 0);
  out.index.assign(n, std::numeric_limits<float>::quiet_NaN());
  if (n > 0) evaluate_block(*cp, inputs, n, out.classes.data(), out.limiting.data(), out.index.data());
  return out;
}

Result<std::optional<PointValues>> values_at(const CropProfile& p, const LayerSet& layers, const geo::TargetGrid& ref,
                                             double x, double y) {
  double c = (x - ref.gt[0]) / ref.gt[1], r = (y - ref.gt[3]) / ref.gt[5];
  if (c < 0 || r < 0 || c >= ref.width || r >= ref.height) return std::optional<PointValues>{};
  PointValues pv;
  pv.col = static_cast<int>(std::floor(c));
  pv.row = static_cast<int>(std::floor(r));
  geo::TargetGrid cell = ref;
  cell.gt[0] = ref.gt[0] + pv.col * ref.gt[1];
  cell.gt[3] = ref.gt[3] + pv.row * ref.gt[5];
  cell.width = cell.height = 1;
  for (std::size_t i = 0; i < p.factors.size(); ++i) {
    const auto& f = p.factors[i];
    const auto* l = layers.find(f.layer);
    if (!l) {
      if (f.advisory) {
        pv.values.push_back(std::numeric_limits<double>::quiet_NaN());
        continue;
      }
      return missing_layer(p, i).error();
    }
    bool nearest = f.type == FactorType::categorical || l->kind == LayerKind::categorical;
    auto file = layers.path_of(*l);
    if (!file) return file.error();
    auto v = geo::read_on_grid(*file, cell, nearest);
    if (!v) return layers.layer_error(*l, *file, v.error());
    pv.values.push_back(static_cast<double>((*v)[0]));
  }
  return std::optional<PointValues>{std::move(pv)};
}

}  // namespace nongsan::suitability
