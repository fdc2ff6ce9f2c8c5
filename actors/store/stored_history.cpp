#include "actors/store/stored_history.hpp"

#include <algorithm>
#include <optional>

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

/// `log` begins with its creation record: not empty.
const engine::conversation_created*
created_of(const std::vector<engine::event>& log) {
  return std::get_if<engine::conversation_created>(&log.front().body);
}

bool customer_of(const std::vector<engine::event>& log, const caller& who) {
  const auto* created = created_of(log);
  return who.role == engine::role::customer && created != nullptr
         && created->customer.id == who.user;
}

bool bot_of(const std::vector<engine::event>& log, const caller& who) {
  const auto* created = created_of(log);
  return who.role == engine::role::bot && created != nullptr
         && created->bot == who.user;
}

/// Who may not read a stored history: a customer learns nothing of
/// another's conversation, not even that it exists; others are told it is
/// not theirs. `log` holds at least the first event (none: unknown).
std::optional<reply> history_refused(const std::vector<engine::event>& log,
                                     const caller& who) {
  if (log.empty()
      || (who.role == engine::role::customer && !customer_of(log, who)))
    return reply::error(engine::errc::not_found, "no such conversation");
  if (!customer_of(log, who) && !bot_of(log, who) && !staff_took_part(log, who))
    return reply::error(engine::errc::forbidden, "not a participant");
  return std::nullopt;
}

reply page_reply(const conversation_history& r, engine::history_page page) {
  return history_page{r.conversation, std::move(page.events), page.more,
                      r.before_seq.has_value()};
}

engine::reader reading_as(const caller& who) {
  return engine::reader_of(who.role);
}

} // namespace

reply history_from_log(const std::vector<engine::event>& log, const caller& who,
                       const conversation_history& r) {
  if (auto refused = history_refused(log, who))
    return *refused;
  return page_reply(r,
                    engine::page_history(log, reading_as(who),
                                         {r.after_seq, r.before_seq, r.limit}));
}

reply history_from_store(engine::storage::log_reader& store, const caller& who,
                         const conversation_history& r) {
  // Staff are judged by every join, a bot's page by its hand-offs: they
  // read the log whole. A customer is judged by the first event.
  if (engine::is_staff(who.role) || who.role == engine::role::bot)
    return history_from_log(store.load(r.conversation), who, r);
  if (auto refused = history_refused(store.load_rows(r.conversation, {}), who))
    return *refused;
  return page_reply(
    r, engine::page_history_in_slices(
         [&](std::size_t rows) {
           return store.load_rows(r.conversation, {r.after_seq.value_or(0),
                                                   r.before_seq, rows});
         },
         reading_as(who), {r.after_seq, r.before_seq, r.limit}));
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

reply explanation_from_store(engine::storage::log_reader& store,
                             const caller& who, const explain_conversation& r,
                             bool supervisor) {
  if (supervisor || engine::is_staff(who.role))
    return explanation_from_log(store.load(r.conversation), who, r, supervisor);
  // Customers and bots never read it: the first event tells whether they
  // may know it exists.
  return explanation_from_log(store.load_rows(r.conversation, {}), who, r,
                              false);
}

} // namespace baton::actors
