# Plots for docs/benchmarks.md from the .dat files of bench/report_tables.py.
# OUT: the report directory; IMG: where the PNGs go.
out = system("echo $OUT")
img = system("echo $IMG")
set terminal pngcairo size 800,480 font "sans,10"
set grid
set key top left

set output img."/ws_throughput.png"
set title "Frames per second over WebSocket: Baton and the echo ceiling"
set xlabel "connections (echo) / customers at once (Baton)"
set ylabel "frames/s (sent + received by the generator)"
set logscale x 2
plot out."/ws.dat" using 1:3 with linespoints title "baton-echo", \
     out."/ws.dat" using 1:2 with linespoints title "Baton"
unset logscale x

set output img."/ws_route_latency.png"
set title "Route latency over WebSocket against load (closed loop)"
set xlabel "customers at once"
set ylabel "ms"
set logscale xy
plot out."/ws.dat" using 1:5 with linespoints title "route p50", \
     out."/ws.dat" using 1:6 with linespoints title "route p99", \
     out."/ws.dat" using 1:8 with linespoints title "message p99"
unset logscale xy

set output img."/memory.png"
set title "Memory per idle item"
set xlabel "items"
set ylabel "KiB per item"
set logscale x 10
plot out."/idle_conversations.dat" using 1:2 with linespoints title "conversation, awake (in-process)", \
     out."/idle_conversations_asleep.dat" using 1:2 with linespoints title "conversation, asleep (in-process)", \
     out."/idle_sessions.dat" using 1:2 with linespoints title "WebSocket session"
unset logscale x

set output img."/agents.png"
set title "Routing against the number of agents (100 customers at once)"
set xlabel "agents"
set ylabel "routed/s"
set y2label "server RSS MiB"
set ytics nomirror
set y2tics
set logscale x 10
plot out."/agents.dat" using 1:2 with linespoints title "routed/s", \
     out."/agents.dat" using 1:4 axes x1y2 with linespoints title "RSS MiB"
