#include "modules/identity/user_repository.hpp"

#include "core/civil_date.hpp"
#include "core/text.hpp"
#include "modules/identity/credentials.hpp"
#include "storage/like_pattern.hpp"

namespace nongsan::identity {

using storage::Null;
using storage::Value;

std::optional<PiiField> parse_pii_field(std::string_view t) {
  if (t == "phone") return PiiField::phone;
  if (t == "citizen_id") return PiiField::citizen_id;
  if (t == "bank_account") return PiiField::bank_account;
  return std::nullopt;
}

namespace {
constexpr const char* kColumns =
    "id, username, display_name, role, unit_id, producer_id, organisation, email, phone, citizen_id, bank_account, "
    "password_hash, must_change_password, active, created_at, updated_at";

User from_row(const storage::Row& r) {
  User u;
  u.id = UserId(r.i64("id"));
  u.username = r.str("username");
  u.display_name = r.str("display_name");
  u.role = parse_role(r.str("role")).value_or(Role::unit_officer);
  if (auto unit = r.opt_i64("unit_id")) u.unit = UnitId(*unit);
  if (auto p = r.opt_i64("producer_id")) u.producer = ProducerId(*p);
  u.organisation = r.str("organisation");
  u.email = r.str("email");
  u.phone = r.str("phone");
  u.citizen_id = r.str("citizen_id");
  u.bank_account = r.str("bank_account");
  u.password_hash = r.str("password_hash");
  u.must_change_password = r.i64("must_change_password") != 0;
  u.active = r.i64("active") != 0;
  u.created_at = r.str("created_at");
  u.updated_at = r.str("updated_at");
  return u;
}
Value unit_value(const std::optional<UnitId>& u) { return u ? Value{u->value} : Value{Null{}}; }
}  // namespace

std::optional<User> UserRepository::find(storage::Connection& c, UserId id) {
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM app_user WHERE id = ?", {id.value});
  if (rs.empty()) return std::nullopt;
  return from_row(rs.rows[0]);
}

std::optional<User> UserRepository::find_by_username(storage::Connection& c, const std::string& username) {
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM app_user WHERE username = ?", {username});
  if (rs.empty()) return std::nullopt;
  return from_row(rs.rows[0]);
}

std::vector<User> UserRepository::list(storage::Connection& c, const UserFilter& f, std::int64_t* total) {
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (!f.q.empty()) {
    // Username or display name; the display name is matched without diacritics in C++
    // below would break paging, so match the raw text and the username here.
    where += " AND (lower(username) LIKE ?" + std::string(storage::kLikeEscape) + " OR lower(display_name) LIKE ?" +
             std::string(storage::kLikeEscape) + ")";
    std::string q = f.q;
    for (char& ch : q) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string like = storage::like_contains(q);
    params.emplace_back(like);
    params.emplace_back(like);
  }
  if (f.role) {
    where += " AND role = ?";
    params.emplace_back(std::string(to_string(*f.role)));
  }
  if (f.unit) {
    where += " AND unit_id = ?";
    params.emplace_back(f.unit->value);
  }
  if (f.active) {
    where += " AND active = ?";
    params.emplace_back(std::int64_t{*f.active ? 1 : 0});
  }
  if (total) *total = c.scalar_i64("SELECT count(*) FROM app_user" + where, params);
  params.emplace_back(std::int64_t{f.page_size});
  params.emplace_back(std::int64_t{(f.page - 1) * f.page_size});
  std::vector<User> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kColumns + " FROM app_user" + where + " ORDER BY username LIMIT ? OFFSET ?",
               params)
           .rows)
    out.push_back(from_row(r));
  return out;
}

UserId UserRepository::insert(storage::Connection& c, const NewUser& u, const std::string& password_hash,
                              const std::string& citizen_id_hash) {
  auto now = utc_now_iso();
  auto rs = c.query(
      "INSERT INTO app_user (username, display_name, role, unit_id, producer_id, organisation, email, phone, citizen_id, "
      "citizen_id_hash, bank_account, password_hash, must_change_password, active, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {u.username, u.display_name, std::string(to_string(u.role)), unit_value(u.unit),
       u.producer ? Value{u.producer->value} : Value{Null{}}, u.organisation, u.email,
       u.phone, u.citizen_id, citizen_id_hash, u.bank_account, password_hash,
       std::int64_t{u.must_change_password ? 1 : 0}, now, now});
  return UserId(rs.rows.at(0).i64("id"));
}

void UserRepository::update(storage::Connection& c, const User& u, const std::string& citizen_id_hash) {
  c.execute("UPDATE app_user SET display_name = ?, role = ?, unit_id = ?, producer_id = ?, organisation = ?, email = ?, phone = ?, "
            "citizen_id = ?, citizen_id_hash = ?, bank_account = ?, active = ?, updated_at = ? WHERE id = ?",
            {u.display_name, std::string(to_string(u.role)), unit_value(u.unit),
             u.producer ? Value{u.producer->value} : Value{Null{}}, u.organisation, u.email, u.phone,
             u.citizen_id, citizen_id_hash, u.bank_account, std::int64_t{u.active ? 1 : 0}, utc_now_iso(),
             u.id.value});
}

void UserRepository::set_password(storage::Connection& c, UserId id, const std::string& hash, bool must_change) {
  c.execute("UPDATE app_user SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?",
            {hash, std::int64_t{must_change ? 1 : 0}, utc_now_iso(), id.value});
}

std::int64_t UserRepository::count(storage::Connection& c) { return c.scalar_i64("SELECT count(*) FROM app_user"); }

bool UserRepository::producer_exists(storage::Connection& c, ProducerId id) {
  return c.scalar_i64("SELECT count(*) FROM producer WHERE id = ?", {id.value}) > 0;
}

std::vector<UserId> UserRepository::with_citizen_hash(storage::Connection& c, const std::string& hash, UserId except) {
  std::vector<UserId> out;
  if (hash.empty()) return out;
  for (const auto& r :
       c.query("SELECT id FROM app_user WHERE citizen_id_hash = ? AND id <> ?", {hash, except.value}).rows)
    out.emplace_back(r.i64("id"));
  return out;
}

std::string pii_hash_key(storage::Connection& c) {
  auto rs = c.query("SELECT value FROM app_setting WHERE key = 'pii_hash_key'");
  if (!rs.empty()) return rs.rows[0].str("value");
  std::string key = random_token(32);
  c.execute("INSERT INTO app_setting (key, value) VALUES ('pii_hash_key', ?) ON CONFLICT (key) DO NOTHING", {key});
  return c.query("SELECT value FROM app_setting WHERE key = 'pii_hash_key'").rows.at(0).str("value");
}

}  // namespace nongsan::identity
