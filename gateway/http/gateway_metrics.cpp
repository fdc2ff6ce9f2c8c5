#include "gateway/http/gateway_metrics.hpp"

#include <charconv>
#include <sstream>

namespace baton::gateway {
namespace {

void header(std::ostringstream& out, const char* name, const char* type,
            const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type
      << '\n';
}

/// The shortest text that reads back as `v`: a stream's default six
/// digits would print a start time as 1.7e+09, and freeze a growing sum.
struct exact {
  double v;
};
std::ostream& operator<<(std::ostream& out, exact x) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x.v);
  return out.write(buf, end - buf);
}

template <typename T>
void sample(std::ostringstream& out, const char* name, const char* type,
            const char* help, const std::optional<T>& value) {
  if (!value)
    return;
  header(out, name, type, help);
  if constexpr (std::is_floating_point_v<T>)
    out << name << ' ' << exact{*value} << '\n';
  else
    out << name << ' ' << *value << '\n';
}

void render_process(std::ostringstream& out, const process_stats& p) {
  sample(out, "process_cpu_seconds_total", "counter",
         "Total user and system CPU time spent in seconds.", p.cpu_seconds);
  sample(out, "process_resident_memory_bytes", "gauge",
         "Resident memory size in bytes.", p.resident_bytes);
  sample(out, "process_virtual_memory_bytes", "gauge",
         "Virtual memory size in bytes.", p.virtual_bytes);
  sample(out, "process_open_fds", "gauge", "Number of open file descriptors.",
         p.open_fds);
  sample(out, "process_max_fds", "gauge",
         "Maximum number of open file descriptors.", p.max_fds);
  sample(out, "process_start_time_seconds", "gauge",
         "Start time of the process since unix epoch in seconds.",
         p.start_time_seconds);
}

} // namespace

void render_histogram(std::ostringstream& out, const char* name,
                      const char* help, const actors::histogram& of) {
  header(out, name, "histogram", help);
  auto h = of.read();
  for (std::size_t i = 0; i < h.upper_bounds.size(); ++i)
    out << name << "_bucket{le=\"" << exact{h.upper_bounds[i]} << "\"} "
        << h.cumulative[i] << '\n';
  out << name << "_bucket{le=\"+Inf\"} " << h.cumulative.back() << '\n'
      << name << "_sum " << exact{h.sum} << '\n'
      << name << "_count " << h.cumulative.back() << '\n';
}

void render_cluster(std::ostringstream& out, const actors::cluster_metrics& c) {
  sample(out, "baton_cluster_shards_held", "gauge",
         "Shards this node owns: all while it serves, none standing by.",
         std::optional{c.shards_held.get()});
  render_histogram(out, "baton_cluster_lease_renew_seconds",
                   "Renewals of this node's lease, from asking to the answer.",
                   c.lease_renew_latency);
  sample(out, "baton_cluster_lease_renew_failures_total", "counter",
         "Renewals of the lease that failed.",
         std::optional{c.lease_renew_failures.get()});
  sample(out, "baton_cluster_takeovers_total", "counter",
         "Times this node took the shards over.",
         std::optional{c.takeovers.get()});
  sample(out, "baton_cluster_shards_given_up_total", "counter",
         "Shards this node gave up to even the cluster out.",
         std::optional{c.shards_given_up.get()});
  sample(out, "baton_cluster_nodes_cut_off", "gauge",
         "Nodes this node is cut off from while their leases live.",
         std::optional{c.nodes_cut_off.get()});
  sample(out, "baton_cluster_votes_down_total", "counter",
         "Live nodes this node's vote took down, cut off from them.",
         std::optional{c.votes_down.get()});
  auto offset = static_cast<double>(c.clock_offset_ms.get()) / 1e3;
  sample(out, "baton_cluster_clock_offset_seconds", "gauge",
         "This node's clock less the database's, at the last renewal.",
         c.clock_offsets_read.get() > 0 ? std::optional{offset} : std::nullopt);
  render_histogram(out, "baton_cluster_relayed_request_seconds",
                   "Requests relayed to another node's core, from asking to "
                   "the answer.",
                   c.relayed_request_latency);
}

std::string_view build_version() noexcept {
  return BATON_VERSION;
}

std::string render_metrics(const actors::routing_metrics& routing,
                           const gateway_metrics& gateway,
                           const process_stats& process) {
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

  header(out, "baton_conversations_asleep", "gauge",
         "Waiting conversations passivated: a record in the directory, no "
         "actor, until the next message for them.");
  out << "baton_conversations_asleep " << routing.conversations_asleep.get()
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

  render_histogram(out, "baton_route_latency_seconds",
                   "From entering a queue to an accepted offer.",
                   routing.route_latency);

  header(out, "baton_ws_sessions", "gauge", "Open WebSocket sessions.");
  out << "baton_ws_sessions " << gateway.ws_sessions.get() << '\n';
  header(out, "baton_http_connections", "gauge",
         "Open plain HTTP connections (not upgraded to WebSocket).");
  out << "baton_http_connections " << gateway.http_connections.get() << '\n';

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
  header(out, "baton_store_reads_pending", "gauge",
         "Reads of stored conversations waiting for the reader "
         "(storage.max_pending_reads).");
  out << "baton_store_reads_pending " << routing.store_reads_pending.get()
      << '\n';

  if (routing.cluster)
    render_cluster(out, *routing.cluster);

  header(out, "baton_user_inboxes", "gauge",
         "Inboxes of users who are not configured agents, in memory.");
  out << "baton_user_inboxes " << routing.user_inboxes.get() << '\n';

  header(out, "baton_timers_pending", "gauge",
         "Conversations' timers waiting to run out (offers, consent, "
         "retirement, idleness).");
  out << "baton_timers_pending " << routing.timers_pending.get() << '\n';

  render_process(out, process);
  // The version is digits and dots: no label escaping needed.
  header(out, "baton_build_info", "gauge",
         "A metric with a constant '1' value labeled by the version Baton "
         "was built as.");
  out << "baton_build_info{version=\"" << build_version() << "\"} 1\n";
  return out.str();
}

} // namespace baton::gateway
