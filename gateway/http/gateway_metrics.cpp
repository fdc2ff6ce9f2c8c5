#include "gateway/http/gateway_metrics.hpp"

#include <sstream>

namespace baton::gateway {
namespace {

void header(std::ostringstream& out, const char* name, const char* type,
            const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type
      << '\n';
}

} // namespace

std::string render_metrics(const actors::routing_metrics& routing,
                           const gateway_metrics& gateway) {
  std::ostringstream out;
  header(out, "baton_conversations_active", "gauge",
         "Conversations not closed.");
  out << "baton_conversations_active " << routing.conversations_active.get()
      << '\n';

  header(out, "baton_conversation_actors", "gauge",
         "Conversation actors in memory (open, or closed and not yet "
         "retired to the store).");
  out << "baton_conversation_actors " << routing.conversation_actors.get()
      << '\n';

  header(out, "baton_conversations_waiting", "gauge",
         "Conversations in a queue's waiting list.");
  for (const auto& [queue, g] : routing.conversations_waiting)
    out << "baton_conversations_waiting{queue=\"" << queue << "\"} " << g.get()
        << '\n';

  header(out, "baton_agents", "gauge", "Configured agents by status.");
  for (auto s : {engine::agent_status::ready, engine::agent_status::not_ready,
                 engine::agent_status::offline})
    out << "baton_agents{status=\"" << to_string(s) << "\"} "
        << routing.agents[static_cast<std::size_t>(s)].get() << '\n';

  header(out, "baton_offers_total", "counter", "Offers ended, by result.");
  for (std::size_t i = 0; i < actors::offer_result_count; ++i)
    out << "baton_offers_total{result=\""
        << to_string(static_cast<actors::offer_result>(i)) << "\"} "
        << routing.offers[i].get() << '\n';

  header(out, "baton_transfers_total", "counter",
         "Transfers, conferences and assignments ended, by kind and result.");
  using engine::transfer_result;
  for (auto kind : {engine::offer_kind::transfer,
                    engine::offer_kind::conference, engine::offer_kind::assign})
    for (auto result : {transfer_result::completed, transfer_result::declined,
                        transfer_result::failed, transfer_result::cancelled})
      out << "baton_transfers_total{kind=\"" << to_string(kind)
          << "\",result=\"" << to_string(result) << "\"} "
          << routing
               .transfers[actors::routing_metrics::transfer_slot(kind, result)]
               .get()
          << '\n';

  header(out, "baton_messages_total", "counter",
         "Messages sent, by visibility.");
  for (auto v : {engine::visibility::all, engine::visibility::agents})
    out << "baton_messages_total{visibility=\"" << to_string(v) << "\"} "
        << routing.messages[static_cast<std::size_t>(v)].get() << '\n';

  header(out, "baton_route_latency_seconds", "histogram",
         "From entering a queue to an accepted offer.");
  auto h = routing.route_latency.read();
  for (std::size_t i = 0; i < h.upper_bounds.size(); ++i)
    out << "baton_route_latency_seconds_bucket{le=\"" << h.upper_bounds[i]
        << "\"} " << h.cumulative[i] << '\n';
  out << "baton_route_latency_seconds_bucket{le=\"+Inf\"} "
      << h.cumulative.back() << '\n'
      << "baton_route_latency_seconds_sum " << h.sum << '\n'
      << "baton_route_latency_seconds_count " << h.cumulative.back() << '\n';

  header(out, "baton_ws_sessions", "gauge", "Open WebSocket sessions.");
  out << "baton_ws_sessions " << gateway.ws_sessions.get() << '\n';

  header(out, "baton_ws_frames_total", "counter",
         "WebSocket frames, by direction.");
  out << "baton_ws_frames_total{direction=\"in\"} " << gateway.frames[0].get()
      << "\nbaton_ws_frames_total{direction=\"out\"} "
      << gateway.frames[1].get() << '\n';

  header(out, "baton_request_errors_total", "counter",
         "Error replies, by code.");
  for (std::size_t i = 1; i < gateway.request_errors.size(); ++i)
    out << "baton_request_errors_total{code=\""
        << engine::code_name(static_cast<engine::errc>(i)) << "\"} "
        << gateway.request_errors[i].get() << '\n';

  header(out, "baton_limit_refusals_total", "counter",
         "Requests and sessions refused by a bound of [limits].");
  for (std::size_t i = 0; i < engine::limit_count; ++i)
    out << "baton_limit_refusals_total{limit=\""
        << to_string(static_cast<engine::limit>(i)) << "\"} "
        << gateway.limit_refusals[i].get() + routing.limit_refusals[i].get()
        << '\n';

  header(out, "baton_store_failing", "gauge",
         "1 while the store fails to commit or to be read (/readyz is 503).");
  out << "baton_store_failing " << (routing.store_failing() ? 1 : 0) << '\n';
  header(out, "baton_journal_pending_events", "gauge",
         "Events applied and waiting for their commit.");
  out << "baton_journal_pending_events " << routing.journal_pending.get()
      << '\n';

  header(out, "baton_user_inboxes", "gauge",
         "Inboxes of users who are not configured agents, in memory.");
  out << "baton_user_inboxes " << routing.user_inboxes.get() << '\n';
  return out.str();
}

} // namespace baton::gateway
