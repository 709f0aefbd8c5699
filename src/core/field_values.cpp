#include "core/field_values.hpp"

#include <stdexcept>

namespace nongsan {

FieldValues::FieldValues(std::initializer_list<std::pair<std::string, std::string>> items) {
  for (const auto& [name, value] : items) (*this)[name] = value;
}

FieldValues::FieldValues(const std::map<std::string, std::string>& items) {
  auto names = std::make_shared<Names>();
  names->reserve(items.size());
  values_.reserve(items.size());
  for (const auto& [name, value] : items) {
    names->push_back(name);
    values_.push_back(value);
  }
  names_ = std::move(names);
}

FieldValues::FieldValues(std::shared_ptr<const Names> names, std::vector<std::string> values)
    : names_(std::move(names)), values_(std::move(values)) {
  if (!names_ || names_->size() != values_.size())
    throw std::invalid_argument("FieldValues: as many values as names are required");
}

FieldValues::const_iterator FieldValues::find(std::string_view name) const {
  for (std::size_t i = 0; i < values_.size(); ++i)
    if ((*names_)[i] == name) return {this, i};
  return end();
}

const std::string& FieldValues::at(std::string_view name) const {
  const auto it = find(name);
  if (it == end()) throw std::out_of_range("no field '" + std::string(name) + "'");
  return values_[it.i_];
}

std::string& FieldValues::operator[](std::string_view name) {
  const auto it = find(name);
  if (it != end()) return values_[it.i_];
  auto names = names_ ? std::make_shared<Names>(*names_) : std::make_shared<Names>();
  names->emplace_back(name);
  names_ = std::move(names);
  return values_.emplace_back();
}

bool operator==(const FieldValues& a, const FieldValues& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [name, value] : a) {
    const auto it = b.find(name);
    if (it == b.end() || it->second != value) return false;
  }
  return true;
}

bool operator==(const FieldValues& a, const std::map<std::string, std::string>& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [name, value] : a) {
    const auto it = b.find(name);
    if (it == b.end() || it->second != value) return false;
  }
  return true;
}

}  // namespace nongsan
