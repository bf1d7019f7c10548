/* main.c: mirage-hvt, the monitor of hvt unikernels, as a program. */
#include "monitor.h"

int main(int argc, char **argv)
{
	return hvt_monitor_main(argc, argv);
}
