#include <algorithm>
#include <iterator>

#include "engine/storage/store.hpp"

namespace baton::engine::storage {

std::vector<event> log_reader::load_rows(const std::string& conversation,
                                         const row_range& rows) {
  auto log = load(conversation);
  auto by_seq = [](const event& e, std::uint64_t seq) { return e.seq < seq; };
  if (rows.before_seq) {
    auto end = std::lower_bound(log.begin(), log.end(), *rows.before_seq,
                                by_seq);
    auto take = std::min<std::size_t>(rows.limit, end - log.begin());
    return {std::make_move_iterator(end - static_cast<std::ptrdiff_t>(take)),
            std::make_move_iterator(end)};
  }
  auto begin = std::upper_bound(log.begin(), log.end(), rows.after_seq,
                                [](std::uint64_t seq, const event& e) {
                                  return seq < e.seq;
                                });
  auto take = std::min<std::size_t>(rows.limit, log.end() - begin);
  return {std::make_move_iterator(begin),
          std::make_move_iterator(begin + static_cast<std::ptrdiff_t>(take))};
}

} // namespace baton::engine::storage
