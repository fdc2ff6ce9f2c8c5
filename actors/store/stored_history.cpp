#include "actors/store/stored_history.hpp"

#include <algorithm>

#include "engine/conversation/history.hpp"

namespace baton::actors {

reply store_unavailable() {
  return reply::error(engine::errc::unavailable,
                      "stored conversations cannot be read now: try again");
}

namespace {

/// Staff who joined the conversation at some point.
bool staff_took_part(const std::vector<engine::event>& log, const caller& who) {
  return engine::is_staff(who.role)
         && std::any_of(log.begin(), log.end(), [&](const engine::event& e) {
              const auto* j = std::get_if<engine::participant_joined>(&e.body);
              return j != nullptr && j->who.id == who.user
                     && j->who.role == who.role;
            });
}

bool customer_of(const std::vector<engine::event>& log, const caller& who) {
  const auto* created
    = std::get_if<engine::conversation_created>(&log.front().body);
  return who.role == engine::role::customer && created != nullptr
         && created->customer.id == who.user;
}

} // namespace

reply history_from_log(const std::vector<engine::event>& log, const caller& who,
                       const conversation_history& r) {
  if (log.empty())
    return reply::error(engine::errc::not_found, "no such conversation");
  const auto* created
    = std::get_if<engine::conversation_created>(&log.front().body);
  bool customer = customer_of(log, who);
  bool staff = staff_took_part(log, who);
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

reply explanation_from_log(const std::vector<engine::event>& log,
                           const caller& who, const explain_conversation& r,
                           bool supervisor) {
  if (log.empty()
      || (who.role == engine::role::customer && !customer_of(log, who)))
    return reply::error(engine::errc::not_found, "no such conversation");
  if (!supervisor && !staff_took_part(log, who))
    return reply::error(engine::errc::forbidden,
                        "for supervisors and staff who took part");
  return explanation{r.conversation,
                     engine::explain_routing(log, r.after_seq.value_or(0))};
}

} // namespace baton::actors
