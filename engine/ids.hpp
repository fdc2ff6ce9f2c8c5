#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "engine/types.hpp"

namespace baton::engine {

/// Whether a secure generator's ids show the order they were made in.
enum class made_order : bool {
  hidden,  ///< 100 random bits: sessions, visitors
  counted, ///< a count, then 85 random bits: conversations (id_order)
};

/// Makes ids in the shape of ULIDs: a prefix, the time in Crockford base32
/// (ids sort by creation to the millisecond), then 20 more digits. By
/// default those are 100 bits from the system's CSPRNG, so an id cannot be
/// guessed from another one, across restarts and nodes alike. Counted, the
/// first 3 count the ids the generator made before in that millisecond,
/// so that one node's ids sort by creation (id_order), and the other 17
/// are 85 random bits. With a seed they are that count, a seeded start and
/// a counter in the last 13 digits: replayable (tests), and in order
/// (offer ids, which only their agent can act on).
class id_generator {
public:
  explicit id_generator(std::string_view prefix,
                        made_order order = made_order::hidden);
  id_generator(std::string_view prefix, std::uint64_t seed);

  std::string next(time_ms now);

  /// The next id that falls in `shard` of `count` (engine/cluster/
  /// shards.hpp): its last digits are chosen for that, 5 bits fewer of
  /// chance each (2 digits up to 16 shards, 3 up to 512, 4 up to 16 384, 5
  /// up to 524 288; `cluster.shards` allows 65 536). A conversation's id in its
  /// customer's shard keeps the two on one node whatever moves
  /// (docs/cluster.md).
  std::string next_in_shard(time_ms now, std::uint32_t shard,
                            std::uint32_t count);

private:
  /// How many ids came before in the millisecond `now` (to the largest the
  /// 3 digits hold), for the next id.
  std::uint64_t made_before(time_ms now);
  /// The next id, its last `chosen` digits left to pick (zero until then).
  std::string draw(time_ms now, int chosen, std::uint64_t before);

  std::string prefix_;
  made_order order_ = made_order::hidden;
  std::optional<std::uint64_t> counter_;
  time_ms millisecond_ = -1;
  std::uint64_t made_in_millisecond_ = 0;
};

/// A generator for `prefix`: seeded when `seed` is not 0, else secure and
/// `order`.
id_generator make_id_generator(std::string_view prefix, std::uint64_t seed,
                               made_order order = made_order::hidden);

/// A number that orders ids made within the same few milliseconds as
/// their text does: from the time (to 2^34 ms, 199 days, past which it
/// wraps), the count and 3 digits after it. Ids of one generator (one
/// node's) come in the order they were made, those of several nodes in a
/// fixed order. 0 for an id of another shape.
std::uint64_t id_order(std::string_view id);

} // namespace baton::engine
