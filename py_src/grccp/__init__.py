"""Global Resiliency CCP extension: functional core (core/) and the browser platform layer (platform/)."""
