#include "engine/conversation/offer_round.hpp"

#include "engine/conversation/workflows.hpp"

namespace baton::engine {

std::uint64_t offer_round::start(round_origin origin,
                                 bool assign_at_once) noexcept {
  direct_ = origin == round_origin::direct;
  assign_at_once_ = assign_at_once;
  return ++generation_;
}

void offer_round::note_end(const std::string& agent, offer_end reason) {
  last_end_ = reason;
  if (reason == offer_end::timeout || reason == offer_end::rejected
      || reason == offer_end::agent_offline)
    tried_.push_back(agent);
}

round_end offer_round::end() {
  ++generation_;
  round_end out;
  if (direct_) {
    direct_ = false;
    tried_.clear();
    out.what = round_end::next::direct_failed;
    out.reason = direct_failure_reason(last_end_);
    out.cause = last_end_;
    return out;
  }
  if (wait_expired_) {
    wait_expired_ = false;
    out.what = round_end::next::expire;
    return out;
  }
  out.tried = std::move(tried_);
  tried_.clear();
  return out;
}

bool offer_round::won() noexcept {
  ++generation_;
  bool queued = !direct_;
  direct_ = false;
  tried_.clear();
  return queued;
}

bool offer_round::wait_ran_out(bool offers_open) noexcept {
  wait_expired_ = offers_open;
  return !offers_open;
}

void offer_round::supersede() noexcept {
  ++generation_;
  direct_ = false;
}

void offer_round::restart() noexcept {
  supersede();
  wait_expired_ = false;
  tried_.clear();
}

std::string direct_failure_reason(offer_end last) noexcept {
  if (last == offer_end::agent_full || last == offer_end::agent_offline
      || last == offer_end::agent_not_ready)
    return "unavailable";
  return std::string(to_string(last));
}

namespace {

decision end_open_offers(const conversation& c, offer_end reason) {
  decision d;
  for (const auto& o : c.open_offers())
    d.events.emplace_back(offer_ended{o.offer, o.agent, reason});
  return d;
}

} // namespace

decision decide_offer_timeout(const conversation& c) {
  if (c.open_offers().empty())
    return decision::refuse(errc::invalid_state);
  return end_open_offers(c, offer_end::timeout);
}

decision decide_restored_offers(const conversation& c) {
  return end_open_offers(c, offer_end::cancelled);
}

decision decide_queue_move(const conversation& c, const std::string& queue,
                           const config::config& cfg) {
  if (c.state() != conversation_state::queued)
    return decision::refuse(errc::invalid_state);
  decision d;
  d.events.emplace_back(
    conversation_queued{queue, c.priority(), c.enqueued_at(),
                        welcome_text(cfg, queue), c.content()});
  return d;
}

} // namespace baton::engine
