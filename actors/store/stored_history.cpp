#include "actors/store/stored_history.hpp"

#include <algorithm>

#include "engine/conversation/history.hpp"

namespace baton::actors {

reply store_unavailable() {
  return reply::error(engine::errc::unavailable,
                      "stored conversations cannot be read now: try again");
}

reply history_from_log(const std::vector<engine::event>& log, const caller& who,
                       const conversation_history& r) {
  if (log.empty())
    return reply::error(engine::errc::not_found, "no such conversation");
  const auto* created
    = std::get_if<engine::conversation_created>(&log.front().body);
  bool customer = who.role == engine::role::customer && created != nullptr
                  && created->customer.id == who.user;
  bool staff
    = engine::is_staff(who.role)
      && std::any_of(log.begin(), log.end(), [&](const engine::event& e) {
           const auto* j = std::get_if<engine::participant_joined>(&e.body);
           return j != nullptr && j->who.id == who.user
                  && j->who.role == who.role;
         });
  bool bot = who.role == engine::role::bot && created != nullptr
             && created->bot == who.user;
  // A customer learns nothing of another's conversation, not even that it
  // exists; staff are told it is not theirs.
  if (who.role == engine::role::customer && !customer)
    return reply::error(engine::errc::not_found, "no such conversation");
  if (!customer && !staff && !bot)
    return reply::error(engine::errc::forbidden, "not a participant");
  auto page = engine::page_history(
    log, customer ? engine::reader::customer : engine::reader::staff,
    {r.after_seq, r.before_seq, r.limit});
  return history_page{r.conversation, std::move(page.events), page.more,
                      r.before_seq.has_value()};
}

} // namespace baton::actors
