#include "app/cluster_status.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace baton::app {
namespace {

std::string seconds(engine::duration_ms ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  return buf;
}

std::string lease(engine::duration_ms left) {
  return left > 0 ? "lease " + seconds(left) + " left"
                  : "lease ran out " + seconds(-left) + " ago";
}

/// "+3 ms" or "-1.2 s": a node's clock against the database's.
std::string offset(engine::duration_ms ms) {
  if (ms > -1000 && ms < 1000)
    return (ms >= 0 ? "+" : "") + std::to_string(ms) + " ms";
  return (ms >= 0 ? "+" : "-") + seconds(ms >= 0 ? ms : -ms);
}

/// "epoch 3" or "epochs 2-5".
std::string epochs(std::uint64_t low, std::uint64_t high) {
  return low == high
           ? "epoch " + std::to_string(low)
           : "epochs " + std::to_string(low) + "-" + std::to_string(high);
}

/// "; cut off from n2 (4.1 s), n3 (0.9 s)", or nothing.
std::string cut_off(const std::string& node,
                    std::span<const engine::storage::cluster_cut> cuts) {
  std::string out;
  for (const auto& c : cuts)
    if (c.voter == node)
      out += (out.empty() ? "; cut off from " : ", ") + c.target + " ("
             + seconds(c.lasted_ms) + ")";
  return out;
}

struct holding {
  std::size_t count = 0;
  std::uint64_t low = UINT64_MAX, high = 0;
  bool live = false;
};

} // namespace

std::string
describe_cluster(std::span<const engine::storage::cluster_member> members,
                 std::span<const engine::storage::shard_owner> shards,
                 bool spread,
                 std::span<const engine::storage::cluster_cut> cuts) {
  std::map<std::string, holding> held;
  std::size_t free = 0;
  for (const auto& s : shards) {
    if (s.owner.empty()) {
      ++free;
      continue;
    }
    auto& h = held[s.owner];
    ++h.count;
    h.low = std::min(h.low, s.epoch);
    h.high = std::max(h.high, s.epoch);
    h.live = h.live || s.owner_live;
  }
  std::size_t width = free > 0 ? 6 : 4; // "free" and two spaces
  for (const auto& m : members)
    width = std::max(width, m.node.size() + 2);
  for (const auto& [owner, h] : held)
    width = std::max(width, owner.size() + 2);
  auto name = [&](const std::string& n) {
    return n + std::string(width - n.size(), ' ');
  };

  std::string out = std::to_string(shards.size()) + " shards\n";
  for (const auto& m : members) {
    auto h = held.find(m.node);
    out += name(m.node);
    if (h == held.end())
      out += m.lease_left_ms <= 0 ? "gone"
             : spread             ? "holds no shard"
                                  : "stands by";
    else if (h->second.live)
      out += "serves " + std::to_string(h->second.count) + " shards ("
             + epochs(h->second.low, h->second.high) + ")";
    else
      out += "holds " + std::to_string(h->second.count)
             + " shards until another node claims them";
    out += "; " + lease(m.lease_left_ms);
    if (!m.downed_by.empty() && m.lease_left_ms > 0)
      out += "; voted down by " + m.downed_by + ", renews no more";
    out += cut_off(m.node, cuts);
    if (m.clock_offset_ms && m.lease_left_ms > 0)
      out += "; clock " + offset(*m.clock_offset_ms);
    if (!m.address.empty())
      out += "; calls at " + m.address;
    out += "\n";
    if (h != held.end())
      held.erase(h);
  }
  // Owners that left the members' table hold nothing live.
  for (const auto& [owner, h] : held)
    out += name(owner) + "holds " + std::to_string(h.count)
           + " shards until another node claims them; not a member\n";
  if (free > 0)
    out += name("free") + std::to_string(free) + " shards\n";
  return out;
}

} // namespace baton::app
