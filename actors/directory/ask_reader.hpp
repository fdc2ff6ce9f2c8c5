#pragma once

#include <cstdint>
#include <utility>

#include "caf/all.hpp"

#include "actors/directory/state.hpp"

namespace baton::actors::directory_impl {

/// Whose read it is. Anyone on the internet may be a customer, so their
/// reads together may hold only half of the reader's bound: a flood of
/// them (histories of made-up ids, say) leaves staff, services
/// (attribution) the other half.
enum class read_for : std::uint8_t { customer, staff_or_service };

/// Asks the reader `read` for a client, unless `storage.max_pending_reads`
/// reads wait for it already (half of that, for a customer): false then,
/// and nothing is asked. The reader is one thread, which recovery shares:
/// a flood of reads is refused rather than queued without bound.
/// `answered(result)` gets its answer; `failed()` runs when none comes.
template <class Result, class Read, class Answered, class Failed>
bool ask_reader(self_ptr self, read_for whose, Read read, Answered answered,
                Failed failed) {
  const auto& rt = self->state.rt;
  auto metrics = rt->metrics;
  auto bound = rt->cfg->storage.max_pending_reads;
  if (whose == read_for::customer)
    bound = (bound + 1) / 2;
  if (metrics->store_reads_pending.get() >= bound)
    return false;
  metrics->store_reads_pending.add(1);
  self->request(rt->reader, caf::infinite, std::move(read))
    .then(
      [metrics, answered = std::move(answered)](Result& out) mutable {
        metrics->store_reads_pending.add(-1);
        answered(out);
      },
      [metrics, failed = std::move(failed)](caf::error&) mutable {
        metrics->store_reads_pending.add(-1);
        failed();
      });
  return true;
}

/// The answer to a read refused at `storage.max_pending_reads`.
inline reply store_reads_busy() {
  return reply::error(engine::errc::unavailable,
                      "stored conversations are busy: try again in a moment");
}

} // namespace baton::actors::directory_impl
