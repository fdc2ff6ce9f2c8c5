#include "engine/conversation/history.hpp"

#include <algorithm>
#include <iterator>

namespace baton::engine {

bool in_history(const event& e, reader who) noexcept {
  if (internal(e.body))
    return false;
  return who == reader::staff || customer_visible(e);
}

namespace {

/// Collects up to `limit` events `who` may see, walking from `from` to `to`;
/// `more` tells whether one more was left behind.
template <class Iterator>
history_page
collect(Iterator from, Iterator to, reader who, std::uint32_t limit) {
  history_page page;
  for (auto i = from; i != to; ++i) {
    if (!in_history(*i, who))
      continue;
    if (page.events.size() == limit) {
      page.more = true;
      break;
    }
    page.events.push_back(*i);
  }
  return page;
}

} // namespace

history_page page_history(const std::vector<event>& log, reader who,
                          const history_query& q) {
  if (q.before_seq) {
    // Walk back from the cursor, then restore seq order.
    auto end = std::lower_bound(log.begin(), log.end(), *q.before_seq,
                                [](const event& e, std::uint64_t seq) {
                                  return e.seq < seq;
                                });
    auto page = collect(std::make_reverse_iterator(end), log.rend(), who,
                        q.limit);
    std::reverse(page.events.begin(), page.events.end());
    return page;
  }
  auto begin = std::upper_bound(log.begin(), log.end(), q.after_seq.value_or(0),
                                [](std::uint64_t seq, const event& e) {
                                  return seq < e.seq;
                                });
  return collect(begin, log.end(), who, q.limit);
}

} // namespace baton::engine
