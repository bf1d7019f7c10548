int start(void *d, void *a) { (void)d; (void)a; return 0; }
