// The one place the registry's records become JSON for the API and the CLI: units
// as references, producers with personal data masked, parcels with their holder,
// crops and land-use names, zones, rights, plantings, conversions, topology
// findings and GeoJSON features. Shapes what the services loaded; reads nothing.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "modules/admin/unit_graph.hpp"
#include "modules/registry/land_use.hpp"
#include "modules/registry/registry_repository.hpp"

namespace nongsan::registry {

// What a parcel's list item shows besides the parcel: who controls it and what grows on it.
struct ParcelFacts {
  std::optional<LandRight> control;   // the right in force that controls the parcel
  std::optional<Producer> controller;  // its holder
  std::vector<std::string> crops;      // active plantings on the date
};

// A zone the parcel lies in, and how much of the parcel lies inside.
struct ParcelZone {
  Zone zone;
  double inside_m2 = 0;
  double share = 0;  // of the parcel's area, 0..1
};

// What a parcel's detail adds.
struct ParcelDetailFacts {
  ParcelFacts facts;
  std::vector<std::pair<LandRight, std::optional<Producer>>> rights;
  std::vector<Planting> plantings;
  std::vector<CropConversion> conversions;
  std::vector<RegistryRepository::GeometryVersion> history;
  std::vector<std::pair<RegistryRepository::LineageLink, std::optional<Parcel>>> lineage;  // with the other parcel
  std::vector<ParcelZone> zones;  // zones in the reader's scope
};

// What a producer's detail adds: the records linked to it that the reader may see.
struct ProducerDetailFacts {
  std::vector<Producer> members, organisations;
  std::vector<std::pair<LandRight, std::optional<Parcel>>> rights;  // the parcel when in scope
  std::vector<std::int64_t> duplicates_in_scope;  // same citizen ID
  std::int64_t duplicates_elsewhere = 0;
};

// A topology finding as stored (topology_finding).
struct Finding {
  std::int64_t id = 0;
  std::string kind, a, b, message, checked_at;
  std::optional<double> value;
  std::optional<storage::Geometry> geom;
};

// When one kind of topology check last ran (topology_check_run).
struct CheckRun {
  std::string kind;  // overlap, outside, invalid, sliver
  std::string checked_at, checked_by;
  std::int64_t parcels = 0, findings = 0;
  std::optional<double> min_overlap_m2;
  std::optional<std::int64_t> job_id;
};

class RegistryJson {
 public:
  RegistryJson(std::shared_ptr<const admin::UnitGraph> graph, const LandUseCatalogue& land_use)
      : graph_(std::move(graph)), land_use_(land_use) {}

  nlohmann::json unit_ref(const std::optional<UnitId>& u) const;
  nlohmann::json producer(const Producer& p) const;  // citizen_id and phone masked
  nlohmann::json producer_ref(const Producer& p) const;  // {id, name, kind}
  nlohmann::json producer_detail(const Producer& p, const ProducerDetailFacts& f) const;
  nlohmann::json zone(const Zone& z) const;
  nlohmann::json parcel(const Parcel& p, const ParcelFacts& f) const;
  nlohmann::json parcel_detail(const Parcel& p, const ParcelDetailFacts& f, const CivilDate& as_of) const;
  nlohmann::json right(const LandRight& r) const;
  nlohmann::json planting(const Planting& p) const;
  nlohmann::json conversion(const CropConversion& v) const;
  // A conversion in the list of conversions, with its parcel and commune.
  nlohmann::json conversion_item(const CropConversion& v, const Parcel& p) const;
  nlohmann::json finding(const Finding& f) const;
  // A check run as the reader sees it: how many of its findings are in their scope.
  nlohmann::json check_run(const CheckRun& run, std::int64_t findings_in_scope) const;

  // A GeoJSON Feature; nullopt when the geometry cannot be written.
  static std::optional<nlohmann::json> feature(std::int64_t id, const storage::Geometry& g, nlohmann::json properties,
                                               int decimals = 6);
  static nlohmann::json geojson(const storage::Geometry& g, int decimals = 7);  // null when unwritable
  static nlohmann::json opt(const std::optional<double>& v);
  static nlohmann::json opt_date(const std::optional<CivilDate>& d);
  static double round2(double v);
  static nlohmann::json ha(const std::optional<double>& m2);  // hectares, 2 decimals

 private:
  std::shared_ptr<const admin::UnitGraph> graph_;
  const LandUseCatalogue& land_use_;
};

}  // namespace nongsan::registry
