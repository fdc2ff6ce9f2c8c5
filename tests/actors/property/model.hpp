#pragma once

// What the clients of the routing service were told, folded from their
// sinks and replies, and the invariants checked on it.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "actors/api.hpp"
#include "engine/config/config.hpp"

namespace baton::actors::testing::property {

/// Ids are long; logs show the tail, where their counter is.
std::string brief(const std::string& id);

/// An offer as its agent was shown it.
struct offer_seen {
  std::string agent;
  std::string conversation;
  std::string queue;
  engine::time_ms expires_at = 0;
  std::uint64_t counter = 0;
  bool open = true;     ///< no revoke, reply or going offline seen yet
  bool certain = true;  ///< the agent kept a session: no notice was lost
  bool revoked = false; ///< the agent was told it is over
  bool busy = false;    ///< an accept or reject awaits its reply
  /// First seen in a hello's list: the notice another session held may
  /// still come, and is no second showing.
  bool listed_first = false;
  /// A reject was sent: the offer may be over at the service before the
  /// agent hears the reply, and the next agent's offer may come first.
  bool rejecting = false;
  /// Offers of the same conversation shown to others while this one looked
  /// open. Its end may be on its way through another hub: the overlap is a
  /// fault only if this offer turns out to have been open (won, or taken
  /// by the other).
  std::vector<std::string> overlapped_by;
};

struct conversation_seen {
  std::string customer;
  std::string queue;
  bool fifo = true;     ///< unrestricted topic: FIFO applies
  bool servable = true; ///< some agent of its queue may take the topic
  /// When its start was asked and answered, on the model's clock (one tick
  /// per start asked or answered). A conversation started before another
  /// when its answer came before the other was asked: what one client can
  /// tell another. Starts that overlap are in no order (the service runs
  /// several hubs, each user on one).
  std::size_t asked = 0;
  std::size_t answered = 0;
  /// The highest offer counter of its queue seen before its start was
  /// asked: its own offers come after.
  std::optional<std::uint64_t> floor;
  std::optional<std::uint64_t> first_offer;
  std::vector<std::string> assigned; ///< conversation.assigned, by agent
  std::vector<std::string> joined;   ///< agents the customer saw join
  std::vector<std::string> winners;  ///< agents whose accept got ok
  bool no_agents = false;
  bool closed = false;
  bool close_ok = false; ///< a close request was answered ok
};

struct agent_seen {
  std::int64_t capacity = 1;
  int live = 0; ///< sessions not asked to disconnect
  /// The last status its sessions were told (offers it missed before the
  /// finish may still set it not ready).
  engine::agent_status status = engine::agent_status::offline;
  std::set<std::string> assigned; ///< won and not yet closed
};

/// How much the seeds exercised: a property test can pass by testing nothing.
struct tally {
  std::uint64_t offers = 0;
  std::uint64_t wins = 0;
  std::uint64_t losses = 0;
  std::uint64_t races = 0; ///< accepts sent with another of the round pending
  std::uint64_t full = 0;  ///< times an agent was seen at capacity
  std::uint64_t fifo_pairs = 0;
  std::uint64_t fifo_excused = 0;
  std::uint64_t assigned = 0;
  std::uint64_t no_agents = 0;
  std::uint64_t left = 0;
  /// Routing decisions decided again from their grounds (replay), and how
  /// many came out otherwise under a changed configuration.
  std::uint64_t replayed = 0;
  std::uint64_t changed_by_config = 0;

  void add(const tally& t);
};

class model;

/// A session's sink that folds each notification into the model as it is
/// delivered, so that invariants are checked between any two messages.
/// Like the gateway (gateway/session/frame_order.hpp), it reads an event only
/// once the replies owed to its user before it are in: events reach sinks
/// straight from the inboxes, replies through a hub.
class tap : public event_sink {
public:
  /// `awaits_hello`: like a client, it reads events only after its hello
  /// reply (the gateway holds them until then).
  tap(model& m, caller who, bool awaits_hello = false)
    : who(std::move(who)), model_(m), greeted_(!awaits_hello) {
  }

  void deliver(const notification_ptr& n) override;
  /// The hello reply came: its open offers are shown, then the events held.
  void greeted(const reply& hello);
  /// Reads the events it held, unless replies are still owed.
  void release();
  /// Its hello was answered: the service has it among the user's sessions.
  bool is_greeted() const {
    return greeted_;
  }

  caller who;
  bool live = true; ///< false once its disconnect is submitted

private:
  model& model_;
  bool greeted_;
  /// The hello reply, read once no replies are owed.
  std::optional<reply> hello_;
  std::vector<notification_ptr> early_;
};

using tap_ptr = std::shared_ptr<tap>;

/// Folds notifications and replies into what each client knows and checks
/// the invariants on it. An agent's load is counted from below (only what it
/// certainly holds), so a capacity breach it reports is real.
class model {
public:
  model(const engine::config::config& cfg, std::vector<std::string>& log);

  std::map<std::string, offer_seen> offers;
  std::map<std::string, conversation_seen> conversations;
  std::map<std::string, agent_seen> agents;
  std::vector<std::string> violations;
  tally counts;

  void fold(const tap& t, const notification_ptr& n);

  /// Its sessions hold events while `owes_replies` to their user.
  void track(const tap_ptr& t);
  /// A request of `user` went out, or was answered.
  void asked(const std::string& user);
  void answered(const std::string& user);
  bool owes_replies(const std::string& user) const;
  /// An agent's hello reply: the offers it lists are shown, unless another
  /// session saw them already; those it leaves out are over. `early`: the
  /// events held for the session until the reply.
  void hello(const tap& t, const reply& r,
             const std::vector<notification_ptr>& early);

  // -- replies ----------------------------------------------------------------

  /// A start in `queue` was submitted: the tick it was asked at and the
  /// queue's highest offer counter seen by then.
  struct start_ticket {
    std::size_t asked = 0;
    std::optional<std::uint64_t> floor;
  };
  start_ticket start_asked(const std::string& queue);
  void started(const std::string& customer, const start_conversation& r,
               const start_ticket& ticket, const reply& out);
  void accept_sent(const std::string& offer);
  void accept_answered(const std::string& agent, const std::string& offer,
                       bool was_open, const reply& out);
  void reject_answered(const std::string& agent, const std::string& offer,
                       const reply& out);
  void close_answered(const std::string& who, const std::string& id,
                      bool must_work, const reply& out);

  /// Without a session the agent's notices are lost: what it was shown may
  /// end unseen, so it no longer counts. So too when no other session of
  /// the agent is `greeted`: one still connecting may join after a revoke.
  void session_closing(const std::string& agent, bool another_greeted);

  // -- invariants -------------------------------------------------------------

  /// What an agent certainly holds never exceeds its capacity, at any point.
  void check_capacity(const std::string& agent);

  /// Outside ring_all a conversation is offered to one agent at a time. Two
  /// offers seem to overlap only while the older one's end is on its way:
  /// it expired before the newer was made, or it ends later without being
  /// won (judged then: overlapped_by).
  void check_single_offer(const std::string& offer);
  /// `offer` ended `how`, which proves it was open when the offers that
  /// overlapped it were made.
  void check_overlap_ended(const std::string& offer, const offer_seen& o,
                           std::string_view how);

  /// At rest: the accept that won is the conversation's one assignment, and
  /// its customer saw that agent join; every assignment came from a win.
  void check_assignments();

  /// With every agent ready, connected and free, a conversation some agent
  /// may take does not sit waiting.
  void check_served();

  /// At the end: each conversation was assigned, closed for no agents, or
  /// left by its customer while waiting. Never two of these, never none.
  void check_outcomes();

  /// At the end, with everything closed, no agent holds anything it was
  /// shown: a slot not given back is lost for good.
  void check_nothing_held();

  /// Within a queue, unrestricted conversations get their first offers in
  /// the order they started (one answered before the other was asked). A
  /// younger one goes first only past an offer no one was shown (an agent the
  /// queue thought free turned it down), which leaves a gap in the queue's
  /// offer counters.
  void check_fifo();

  void violate(std::string what);
  void note(std::string line);

private:
  offer_seen* find(const std::string& agent, const std::string& offer);
  bool gap_between(const std::string& queue, std::uint64_t lo,
                   std::uint64_t hi) const;

  void fold_agent(const tap& t, const notification& n, bool repeat);
  void shown(const std::string& agent, const std::string& conversation,
             const offer_notice& x, bool live);
  void revoked(const std::string& agent, const offer_revoked_notice& x);
  void fold_customer(const notification& n);

  const engine::config::config& cfg_;
  std::vector<std::string>& log_;
  std::size_t clock_ = 0;
  /// Offer counters shown, by queue.
  std::map<std::string, std::set<std::uint64_t>> counters_;
  /// Accepts lost while their offers looked open. An accept of an open
  /// offer loses only to what the agent is told of: a revoke (taken by the
  /// one winner of a ring_all round, timeout, abandoned, cancelled), at the
  /// latest among the events its reply held back. Anything else is a lost
  /// win, judged once the agent is owed no reply (`answered`).
  std::vector<std::string> unexplained_;
  /// Requests of each user not answered yet.
  std::map<std::string, int> owed_;
  std::map<std::string, std::vector<std::weak_ptr<tap>>> taps_;
  /// The notifications each user read lately, to tell a repeat.
  std::map<std::string, std::deque<notification_ptr>> recent_;
};

} // namespace baton::actors::testing::property
