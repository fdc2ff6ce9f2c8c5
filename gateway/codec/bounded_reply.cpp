#include "gateway/codec/bounded_reply.hpp"

#include <variant>
#include <vector>

namespace baton::gateway {
namespace {

/// The largest `keep` (fewer than `n`) whose encoding fits, by bisection:
/// each try is one encode, so a 500-event page takes about nine.
template <class Encode>
std::string
largest_fitting(std::size_t n, std::size_t max_bytes, Encode encode) {
  std::size_t lo = 0, hi = n; // encode(lo) is tried last if nothing fits
  std::string best;
  while (lo < hi) {
    auto mid = lo + (hi - lo) / 2;
    auto text = encode(mid);
    if (text.size() <= max_bytes) {
      best = std::move(text);
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return best.empty() ? encode(0) : best;
}

/// Cuts `items` of a copy of `r` to `keep`, from the front or the back.
template <class T>
std::string
cut_and_encode(const std::optional<std::string>& re, const actors::request& req,
               actors::reply& r, std::vector<T> actors::reply::*items,
               bool keep_newest, audience who, std::size_t max_bytes) {
  auto all = std::move(r.*items);
  r.more = true;
  return largest_fitting(all.size(), max_bytes, [&](std::size_t keep) {
    auto from = keep_newest ? all.end() - static_cast<std::ptrdiff_t>(keep)
                            : all.begin();
    r.*items = std::vector<T>(from, from + static_cast<std::ptrdiff_t>(keep));
    return encode_ok(re, req, r, who);
  });
}

} // namespace

std::string encode_reply_within(const std::optional<std::string>& re,
                                const actors::request& req, actors::reply r,
                                audience who, std::size_t max_bytes) {
  auto text = encode_reply(re, req, r, who);
  if (text.size() <= max_bytes || !r.ok())
    return text;
  if (const auto* h = std::get_if<actors::conversation_history>(&req))
    return cut_and_encode(re, req, r, &actors::reply::events,
                          h->before_seq.has_value(), who, max_bytes);
  if (std::holds_alternative<actors::list_waiting>(req))
    return cut_and_encode(re, req, r, &actors::reply::entries, false, who,
                          max_bytes);
  if (std::holds_alternative<actors::list_conversations>(req))
    return cut_and_encode(re, req, r, &actors::reply::conversations, false, who,
                          max_bytes);
  if (std::holds_alternative<actors::list_queues>(req))
    return cut_and_encode(re, req, r, &actors::reply::queues, false, who,
                          max_bytes);
  if (std::holds_alternative<actors::list_agents>(req))
    return cut_and_encode(re, req, r, &actors::reply::agents, false, who,
                          max_bytes);
  return text;
}

} // namespace baton::gateway
