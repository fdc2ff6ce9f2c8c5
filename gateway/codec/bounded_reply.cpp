#include "gateway/codec/bounded_reply.hpp"

#include <algorithm>
#include <variant>
#include <vector>

#include "engine/overloaded.hpp"

namespace baton::gateway {
namespace {

/// The largest `keep` (fewer than `n`) whose encoding fits, by bisection:
/// each try is one encode, so a 500-event page takes about nine. At least
/// one: a row too large to fit alone (a text JSON escapes to six times its
/// bytes) goes alone, or paging past it would never move on.
template <class Encode>
std::string
largest_fitting(std::size_t n, std::size_t max_bytes, Encode encode) {
  std::size_t lo = std::min<std::size_t>(1, n), hi = n;
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
  return best.empty() ? encode(std::min<std::size_t>(1, n)) : best;
}

/// Cuts the rows of a copy of `list` (its member `items`) to fit, keeping
/// the first ones or the newest.
template <class List, class T>
std::string cut_and_encode(const std::optional<std::string>& re, List list,
                           std::vector<T> List::*items, bool keep_newest,
                           audience who, std::size_t max_bytes) {
  auto all = std::move(list.*items);
  // A page's own `more` (beyond its limit) stays; a cut sets it.
  bool more_before = list.more;
  return largest_fitting(all.size(), max_bytes, [&](std::size_t keep) {
    auto from = keep_newest ? all.end() - static_cast<std::ptrdiff_t>(keep)
                            : all.begin();
    list.*items = std::vector<T>(from,
                                 from + static_cast<std::ptrdiff_t>(keep));
    list.more = more_before || keep < all.size();
    return encode_ok(re, list, who);
  });
}

} // namespace

std::string encode_reply_within(const std::optional<std::string>& re,
                                actors::reply r, audience who,
                                std::size_t max_bytes) {
  auto text = encode_reply(re, r, who);
  if (text.size() <= max_bytes || !r.ok())
    return text;
  return std::visit(
    engine::overloaded{
      [&](actors::history_page& p) {
        bool keep_newest = p.backwards;
        return cut_and_encode(re, std::move(p), &actors::history_page::events,
                              keep_newest, who, max_bytes);
      },
      [&](actors::explanation& x) {
        return cut_and_encode(re, std::move(x), &actors::explanation::steps,
                              false, who, max_bytes);
      },
      [&](actors::waiting_list& l) {
        return cut_and_encode(re, std::move(l), &actors::waiting_list::entries,
                              false, who, max_bytes);
      },
      [&](actors::conversation_list& l) {
        return cut_and_encode(re, std::move(l),
                              &actors::conversation_list::conversations, false,
                              who, max_bytes);
      },
      [&](actors::queue_list& l) {
        return cut_and_encode(re, std::move(l), &actors::queue_list::queues,
                              false, who, max_bytes);
      },
      [&](actors::agent_list& l) {
        return cut_and_encode(re, std::move(l), &actors::agent_list::agents,
                              false, who, max_bytes);
      },
      [&](auto&) { return std::move(text); },
    },
    r.body);
}

} // namespace baton::gateway
