/* SPDX-License-Identifier: BSD-3-Clause */

#include <string.h>

#include "cli_help.h"

struct help {
	const char *cmd;
	const char *text;
};

static const struct help helps[] = {
	{ "bye",
	  "Terminate SPP processes and controller.\n\n"
	  "    spp > bye sec   # exit every secondary (vf, mirror)\n"
	  "    spp > bye all   # exit every secondary and the primary\n"
	  "    spp > bye       # leave this CLI only\n" },
	{ "exit",
	  "Terminate SPP controller process (this CLI only).\n\n"
	  "    spp > exit\n"
	  "    Thank you for using Soft Patch Panel\n" },
	{ "help",
	  "List commands, or show the help of one.\n\n"
	  "    spp > help\n"
	  "    spp > help vf\n" },
	{ "history",
	  "Show command history (~/.spp_history), numbered for redo.\n"
	  "'bye', 'exit', 'history' and 'redo' are not recorded.\n\n"
	  "    spp > history\n"
	  "      1  status\n"
	  "      2  vf 1; status\n" },
	{ "mirror",
	  "Send a command to spp_mirror N.\n\n"
	  "    spp > mirror 2; status\n"
	  "    spp > mirror 2; component start NAME CORE mirror [shallow|deep]\n"
	  "    spp > mirror 2; component stop NAME\n"
	  "    spp > mirror 2; port add RES_UID [nq Q] DIR NAME\n"
	  "    spp > mirror 2; port del RES_UID [nq Q] DIR NAME\n"
	  "    spp > mirror 2; capture start RES_UID [nq Q] DIR FILE [MAX]\n"
	  "    spp > mirror 2; capture stop RES_UID [nq Q] DIR\n"
	  "    spp > mirror 2; exit\n\n"
	  "The first tx port gets the originals, the second the copies.\n" },
	{ "playback",
	  "Set up a network configuration from a recipe file: run each line\n"
	  "of FILE, echoing it as a comment first.\n\n"
	  "    spp > playback path/to/recipe_file\n" },
	{ "pri",
	  "Send a command to the primary process.\n\n"
	  "    spp > pri; status   # show lcores and port statistics\n"
	  "    spp > pri; clear    # clear statistics\n"
	  "    spp > pri; launch vf 2 -l 1,4-5 -m 512 -- --client-id 2 -s 127.0.0.1:6666\n\n"
	  "add, del, patch, forward and stop need the primary's forwarder,\n"
	  "which spp_primary does not have.\n" },
	{ "record",
	  "Save the following commands to FILE as a recipe, to be replayed\n"
	  "with 'playback'.\n\n"
	  "    spp > record path/to/recipe_file\n" },
	{ "redo",
	  "Execute command N of the history.\n\n"
	  "    spp > redo 5\n" },
	{ "server",
	  "Manage several spp-ctl servers; '*' marks the current one.\n\n"
	  "    spp > server                    # or 'server list'\n"
	  "      1: 192.168.1.101:7777 *\n"
	  "      2: 192.168.1.102:7777 \n"
	  "    spp > server 2                  # switch by index or address\n"
	  "    Switch spp-ctl to \"2: 192.168.1.102:7777\".\n"
	  "    spp > server add 192.168.1.103  # port 7777 if omitted\n"
	  "    Registered spp-ctl \"192.168.1.103:7777\".\n"
	  "    spp > server del 3              # by index or address\n"
	  "    Unregistered spp-ctl \"192.168.1.103:7777\".\n" },
	{ "status",
	  "Display status info of SPP processes.\n\n"
	  "    spp > status\n" },
	{ "top",
	  "Show live rates (packets/s, bits/s, drops/s by reason) of every\n"
	  "component and port of every process, refreshed every SECONDS (1).\n"
	  "Full screen on a terminal ('q' or Ctrl-C leaves), plain tables\n"
	  "otherwise. COUNT refreshes, or until left.\n\n"
	  "    spp > top                # every second until 'q'\n"
	  "    spp > top 3              # three refreshes\n"
	  "    spp > top -n 5 -d 0.5    # five refreshes, half a second apart\n" },
	{ "topo",
	  "Draw the topology of processes, components and ports.\n\n"
	  "    spp > topo             # text in the terminal\n"
	  "    spp > topo net.svg     # SVG image (graphviz)\n"
	  "    spp > topo net.png     # PNG image (graphviz)\n"
	  "    spp > topo net.dot     # the DOT source\n" },
	{ "vf",
	  "Send a command to spp_vf N.\n\n"
	  "    spp > vf 1; status\n"
	  "    spp > vf 1; component start NAME CORE_ID ROLE   # forward, merge, classifier\n"
	  "    spp > vf 1; component stop NAME\n"
	  "    spp > vf 1; port add RES_UID [nq Q] DIR NAME [add_vlantag VID PCP|del_vlantag]\n"
	  "    spp > vf 1; port del RES_UID [nq Q] DIR NAME\n"
	  "    spp > vf 1; classifier_table add mac MAC_ADDR RES_UID\n"
	  "    spp > vf 1; classifier_table del vlan VID MAC_ADDR RES_UID\n"
	  "    spp > vf 1; capture start RES_UID [nq Q] DIR FILE [MAX]\n"
	  "    spp > vf 1; capture stop RES_UID [nq Q] DIR\n"
	  "    spp > vf 1; exit\n\n"
	  "RES_UID is phy:N, ring:N or vhost:N; DIR is rx or tx; MAC_ADDR may be\n"
	  "'default'.\n" },
};

int
cli_help_print(FILE *f, const char *topic)
{
	size_t n = sizeof(helps) / sizeof(helps[0]);

	if (topic[0] == '\0') {
		fprintf(f, "\nDocumented commands (type help <topic>):\n");
		fprintf(f, "========================================\n");
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%s%s", helps[i].cmd, i + 1 < n ? "  " : "\n\n");
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(helps[i].cmd, topic) == 0) {
			fprintf(f, "%s", helps[i].text);
			return 0;
		}
	}
	fprintf(f, "*** No help on %s\n", topic);
	return -1;
}
