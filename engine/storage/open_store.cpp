#include "engine/storage/memory_store.hpp"
#ifdef BATON_HAVE_POSTGRES
#  include "engine/storage/postgres_store.hpp"
#endif
#include "engine/storage/sqlite_store.hpp"
#include "engine/storage/store.hpp"

namespace baton::engine::storage {

std::unique_ptr<store> open_store(const config::storage_settings& settings,
                                  std::shared_ptr<shard_fence> fence) {
  if (fence && settings.backend != config::storage_backend::postgres)
    throw store_error("only the postgres backend fences a cluster's writes");
  switch (settings.backend) {
    case config::storage_backend::sqlite:
      return std::make_unique<sqlite_store>(settings.path, settings.durability);
    case config::storage_backend::memory:
      return std::make_unique<memory_store>();
    case config::storage_backend::postgres:
#ifdef BATON_HAVE_POSTGRES
      return std::make_unique<postgres_store>(settings.url, settings.durability,
                                              std::move(fence));
#else
      break;
#endif
  }
  throw store_error("storage backend \""
                    + std::string(to_string(settings.backend))
                    + "\" is not available in this build");
}

std::unique_ptr<log_reader>
open_reader(const config::storage_settings& settings) {
  switch (settings.backend) {
    case config::storage_backend::sqlite:
      return std::make_unique<sqlite_store>(settings.path, settings.durability,
                                            sqlite_store::access::read_only);
    case config::storage_backend::postgres:
      return open_store(settings);
    case config::storage_backend::memory:
      break;
  }
  throw store_error("storage backend \""
                    + std::string(to_string(settings.backend))
                    + "\" keeps nothing to read");
}

} // namespace baton::engine::storage
