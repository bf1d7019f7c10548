/* netboot: prints the network device's MAC address and exits. */
#include <mirage.h>
#include <stdio.h>

int start(const struct mirage_devices *dev, const struct mirage_args *args)
{
	(void)args;
	uint8_t mac[6];
	mirage_net_mac(dev->net0, mac);
	printf("netboot: %02x:%02x:%02x:%02x:%02x:%02x\n", mac[0], mac[1], mac[2], mac[3], mac[4],
	       mac[5]);
	return 0;
}
