#include "tests/engine/storage/postgres_cluster.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "tests/support/free_port.hpp"

#ifdef BATON_HAVE_POSTGRES
#  include "engine/storage/postgres_store.hpp"
#endif

namespace baton::engine::storage::testing {
namespace {

std::string unavailable_reason;

/// Debian puts each major version's server in /usr/lib/postgresql/N/bin.
std::string find_server_binaries() {
  std::error_code ec;
  std::string best;
  for (const auto& d :
       std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    auto bin = d.path() / "bin";
    if (std::filesystem::exists(bin / "initdb")
        && std::filesystem::exists(bin / "pg_ctl"))
      best = std::max(best, bin.string());
  }
  return best;
}

int shell(const std::string& command) {
  return std::system(command.c_str());
}

} // namespace

postgres_cluster* postgres_cluster::shared() {
  static std::unique_ptr<postgres_cluster> cluster = [] {
    std::unique_ptr<postgres_cluster> c(new postgres_cluster);
    if (!c->start(unavailable_reason))
      c.reset();
    return c;
  }();
  return cluster.get();
}

std::string postgres_cluster::why_unavailable() {
  return "PostgreSQL store tests skipped: " + unavailable_reason;
}

bool postgres_cluster::start(std::string& why) {
#ifndef BATON_HAVE_POSTGRES
  why = "built without libpq (install libpq-dev)";
  return false;
#else
  bin_ = find_server_binaries();
  if (bin_.empty()) {
    why = "no initdb/pg_ctl under /usr/lib/postgresql/*/bin (install the "
          "postgresql package)";
    return false;
  }
  auto pattern
    = (std::filesystem::temp_directory_path() / "baton-pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    why = "cannot make a temporary directory";
    return false;
  }
  dir_ = pattern;
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      why = "running as root and there is no postgres user to run the server";
      return false;
    }
    if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      why = "cannot hand the cluster directory to the postgres user";
      return false;
    }
    run_as_ = "runuser -u postgres -- ";
  }
  port_ = test_support::free_loopback_port();
  if (shell(run_as_ + bin_ + "/initdb -D " + dir_
            + "/data -U baton --auth=trust -E UTF8 --no-sync > " + dir_
            + "/initdb.log 2>&1")
      != 0) {
    why = "initdb failed (see " + dir_ + "/initdb.log)";
    return false;
  }
  if (!start_server()) {
    why = "pg_ctl start failed (see " + dir_ + "/server.log)";
    return false;
  }
  return true;
#endif
}

bool postgres_cluster::start_server() {
  running_ = shell(run_as_ + bin_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_
                   + "/server.log -w -o \"-p " + std::to_string(port_) + " -k "
                   + dir_
                   + " -c listen_addresses=127.0.0.1 -c fsync=off\" start > "
                   + dir_ + "/pg_ctl.log 2>&1")
             == 0;
  return running_;
}

bool postgres_cluster::stop_server() {
  if (!running_)
    return false;
  running_ = shell(run_as_ + bin_ + "/pg_ctl -D " + dir_
                   + "/data -m immediate -w stop > /dev/null 2>&1")
             != 0;
  return !running_;
}

postgres_cluster::~postgres_cluster() {
  if (running_)
    shell(run_as_ + bin_ + "/pg_ctl -D " + dir_
          + "/data -m immediate -w stop > /dev/null 2>&1");
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string postgres_cluster::url(const std::string& database) const {
  return "postgresql://baton@127.0.0.1:" + std::to_string(port_) + "/"
         + database;
}

std::string postgres_cluster::create_database() {
  auto name = "t" + std::to_string(++databases_);
  if (shell(bin_ + "/createdb -h 127.0.0.1 -p " + std::to_string(port_)
            + " -U baton " + name)
      != 0)
    throw store_error("createdb " + name + " failed");
  return name;
}

std::unique_ptr<store> postgres_cluster::open(const std::string& database) {
#ifdef BATON_HAVE_POSTGRES
  return std::make_unique<postgres_store>(url(database),
                                          config::durability_mode::fsync);
#else
  throw store_error("built without libpq");
#endif
}

} // namespace baton::engine::storage::testing
