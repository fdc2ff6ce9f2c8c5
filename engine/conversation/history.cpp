#include "engine/conversation/history.hpp"

#include <algorithm>

namespace baton::engine {

bool in_history(const event& e, reader who) noexcept {
  if (std::holds_alternative<offer_made>(e.body)
      || std::holds_alternative<offer_ended>(e.body)
      || std::holds_alternative<conversation_created>(e.body))
    return false;
  return who == reader::staff || customer_visible(e);
}

history_page page_history(const std::vector<event>& log, reader who,
                          const history_query& q) {
  history_page page;
  auto seq_less = [](const event& e, std::uint64_t seq) { return e.seq < seq; };
  if (q.before_seq) {
    // Walk back from the cursor, then restore seq order.
    auto end = std::lower_bound(log.begin(), log.end(), *q.before_seq,
                                seq_less);
    for (auto i = end; i != log.begin();) {
      --i;
      if (!in_history(*i, who))
        continue;
      if (page.events.size() == q.limit) {
        page.more = true;
        break;
      }
      page.events.push_back(*i);
    }
    std::reverse(page.events.begin(), page.events.end());
    return page;
  }
  auto begin = std::upper_bound(log.begin(), log.end(), q.after_seq.value_or(0),
                                [](std::uint64_t seq, const event& e) {
                                  return seq < e.seq;
                                });
  for (auto i = begin; i != log.end(); ++i) {
    if (!in_history(*i, who))
      continue;
    if (page.events.size() == q.limit) {
      page.more = true;
      break;
    }
    page.events.push_back(*i);
  }
  return page;
}

} // namespace baton::engine
