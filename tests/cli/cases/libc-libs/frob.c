int frobnicate(int x);
int frobnicate(int x)
{
	return x + 39;
}
