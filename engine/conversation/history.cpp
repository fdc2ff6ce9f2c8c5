#include "engine/conversation/history.hpp"

#include <algorithm>
#include <iterator>

namespace baton::engine {

reader reader_of(role r) noexcept {
  switch (r) {
    case role::customer:
      return reader::customer;
    case role::bot:
      return reader::bot;
    default:
      return reader::staff;
  }
}

bool in_history(const event& e, reader who) noexcept {
  if (internal(e.body))
    return false;
  return who == reader::staff || customer_visible(e);
}

namespace {

/// Whether the bot held the conversation at each event of `log`, whole:
/// its hand-off and its return included.
std::vector<bool> held_by_bot(const std::vector<event>& log) {
  std::vector<bool> held;
  held.reserve(log.size());
  bool holds = true;
  for (const auto& e : log) {
    if (std::holds_alternative<returned_to_bot>(e.body))
      holds = true;
    held.push_back(holds);
    if (std::holds_alternative<handed_off>(e.body))
      holds = false;
  }
  return held;
}

/// About what `e` takes encoded: its long texts, and a share for ids,
/// names, stamps and field names. The texts a client writes are the bulk.
std::size_t rough_bytes(const event& e) {
  constexpr std::size_t fixed = 200;
  if (const auto* m = std::get_if<message_posted>(&e.body))
    return fixed + m->text.size();
  if (const auto* q = std::get_if<conversation_queued>(&e.body))
    return fixed + q->text.size() + q->content.size();
  return fixed;
}

/// Collects up to `limit` events `who` may see, walking from `from` to `to`,
/// and no more than about `max_bytes` of them; `more` tells whether one more
/// was left behind.
template <class Iterator, class Sees>
history_page collect(Iterator from, Iterator to, Sees sees, std::uint32_t limit,
                     std::size_t max_bytes) {
  history_page page;
  std::size_t bytes = 0;
  for (auto i = from; i != to; ++i) {
    if (!sees(*i))
      continue;
    auto size = rough_bytes(*i);
    if (page.events.size() == limit
        || (!page.events.empty() && bytes + size > max_bytes)) {
      page.more = true;
      break;
    }
    bytes += size;
    page.events.push_back(*i);
  }
  return page;
}

} // namespace

history_page page_history(const std::vector<event>& log, reader who,
                          const history_query& q) {
  std::vector<bool> held;
  if (who == reader::bot)
    held = held_by_bot(log);
  auto sees = [&](const event& e) {
    if (who != reader::bot)
      return in_history(e, who);
    if (in_history(e, reader::customer))
      return true;
    auto at = static_cast<std::size_t>(&e - log.data());
    return in_history(e, reader::staff) && held[at];
  };
  if (q.before_seq) {
    // Walk back from the cursor, then restore seq order.
    auto end = std::lower_bound(log.begin(), log.end(), *q.before_seq,
                                [](const event& e, std::uint64_t seq) {
                                  return e.seq < seq;
                                });
    auto page = collect(std::make_reverse_iterator(end), log.rend(), sees,
                        q.limit, q.max_bytes);
    std::reverse(page.events.begin(), page.events.end());
    return page;
  }
  auto begin = std::upper_bound(log.begin(), log.end(), q.after_seq.value_or(0),
                                [](std::uint64_t seq, const event& e) {
                                  return seq < e.seq;
                                });
  return collect(begin, log.end(), sees, q.limit, q.max_bytes);
}

history_page page_history_in_slices(
  const std::function<std::vector<event>(std::size_t rows)>& rows, reader who,
  const history_query& q) {
  std::size_t wanted = std::size_t{q.limit} + 1;
  for (;;) {
    auto slice = rows(wanted);
    auto page = page_history(slice, who, q);
    // A slice shorter than asked holds the rest of the log that way; a
    // page that found one more event than it took holds what the whole
    // log would have given.
    if (slice.size() < wanted || page.more)
      return page;
    wanted *= 4;
  }
}

} // namespace baton::engine
