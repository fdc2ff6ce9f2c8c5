#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/conversation/events.hpp"

namespace baton::engine {

/// The state of one conversation, folded from its events. Nothing changes it
/// but `apply`; the deciders in decide.hpp read it and propose events.
///
///            ┌─────── no_agents / close ───────┐
///   bot ──► queued ──► offered ──► assigned ──► closed
///              ▲          │  ▲         │
///              └──────────┘  └─────────┘ (requeue: later issues)
///           offer ended
class conversation {
public:
  explicit conversation(std::string id) : id_(std::move(id)) {
  }

  const std::string& id() const noexcept {
    return id_;
  }
  conversation_state state() const noexcept {
    return state_;
  }
  engine::channel channel() const noexcept {
    return channel_;
  }
  const std::string& queue() const noexcept {
    return queue_;
  }
  const std::string& topic() const noexcept {
    return topic_;
  }
  const participant& customer() const noexcept {
    return customer_;
  }
  const std::string& bot() const noexcept {
    return bot_;
  }
  std::int32_t priority() const noexcept {
    return priority_;
  }
  /// When the conversation first entered a waiting list; kept on requeue.
  time_ms enqueued_at() const noexcept {
    return enqueued_at_;
  }
  time_ms created_at() const noexcept {
    return created_at_;
  }
  std::uint64_t last_seq() const noexcept {
    return last_seq_;
  }
  const std::string& assignee() const noexcept {
    return assignee_;
  }
  /// Agents taking part now (the assignee first).
  const std::vector<participant>& agents() const noexcept {
    return agents_;
  }
  const std::vector<offer_target>& open_offers() const noexcept {
    return offers_;
  }
  offer_kind current_offer_kind() const noexcept {
    return offer_kind_;
  }
  time_ms offer_expires_at() const noexcept {
    return offer_expires_at_;
  }
  bool has_agent(std::string_view agent) const noexcept;
  const offer_target* find_offer(std::string_view offer) const noexcept;

  /// The seq of an earlier message with this client id, for idempotency.
  std::optional<std::uint64_t>
  message_seq(const std::string& client_msg_id) const;

  /// Folds one event in. Events must come in seq order, without gaps.
  void apply(const event& e);

private:
  void on(const event& e, const conversation_created& x);
  void on(const event& e, const conversation_queued& x);
  void on(const event& e, const offer_made& x);
  void on(const event& e, const offer_ended& x);
  void on(const event& e, const conversation_assigned& x);
  void on(const event& e, const participant_joined& x);
  void on(const event& e, const participant_left& x);
  void on(const event& e, const message_posted& x);
  void on(const event& e, const no_agents& x);
  void on(const event& e, const conversation_closed& x);

  std::string id_;
  conversation_state state_ = conversation_state::queued;
  engine::channel channel_ = channel::web;
  std::string queue_;
  std::string topic_;
  participant customer_;
  std::string bot_;
  std::int32_t priority_ = 0;
  time_ms created_at_ = 0;
  time_ms enqueued_at_ = 0;
  std::uint64_t last_seq_ = 0;
  std::string assignee_;
  std::vector<participant> agents_;
  std::vector<offer_target> offers_;
  offer_kind offer_kind_ = offer_kind::new_;
  time_ms offer_expires_at_ = 0;
  std::unordered_map<std::string, std::uint64_t> client_msg_seqs_;
};

} // namespace baton::engine
