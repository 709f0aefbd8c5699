// The values of one row of a table (or the attributes of one feature), as text,
// by field name. The names are held once for the whole table and shared by its rows,
// so that reading a file costs memory in proportion to the file: a copy of every
// column name in every row made a 1 MiB header and 1,000 rows take 2 GB.
// Lookups go through the names in order (tables have tens of columns, not thousands).
// Depends on the standard library only.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nongsan {

class FieldValues {
 public:
  using Names = std::vector<std::string>;
  using value_type = std::pair<const std::string&, const std::string&>;

  FieldValues() = default;
  FieldValues(std::initializer_list<std::pair<std::string, std::string>> items);
  // Builds a row by hand (tests, exports); one name per key.
  FieldValues(const std::map<std::string, std::string>& items);  // NOLINT(google-explicit-constructor)
  // A row of a table: `names` shared with the other rows, `values` in the same order.
  // REQUIRES: values.size() == names->size().
  FieldValues(std::shared_ptr<const Names> names, std::vector<std::string> values);

  class const_iterator {
   public:
    using value_type = FieldValues::value_type;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::forward_iterator_tag;
    struct Arrow {
      value_type pair;
      const value_type* operator->() const { return &pair; }
    };
    const_iterator() = default;
    value_type operator*() const { return {(*row_->names_)[i_], row_->values_[i_]}; }
    Arrow operator->() const { return {**this}; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      auto old = *this;
      ++i_;
      return old;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    friend class FieldValues;
    const_iterator(const FieldValues* row, std::size_t i) : row_(row), i_(i) {}
    const FieldValues* row_ = nullptr;
    std::size_t i_ = 0;
  };
  using iterator = const_iterator;

  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, values_.size()}; }
  // The first field of that name, or end().
  const_iterator find(std::string_view name) const;
  bool contains(std::string_view name) const { return find(name) != end(); }
  // Throws std::out_of_range when there is no such field.
  const std::string& at(std::string_view name) const;
  // The value of `name`, added (empty) when missing; the names are copied first
  // when other rows share them.
  std::string& operator[](std::string_view name);
  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }

  // The same names with the same values, in any order.
  friend bool operator==(const FieldValues& a, const FieldValues& b);
  friend bool operator==(const FieldValues& a, const std::map<std::string, std::string>& b);

 private:
  std::shared_ptr<const Names> names_;
  std::vector<std::string> values_;
};

}  // namespace nongsan
