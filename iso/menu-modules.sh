# SPDX-License-Identifier: MIT
# The GRUB modules iso/grub.cfg's menu needs, on both platforms: sourced by
# iso/mkiso.sh (which adds the CD and disk ones) and iso/mknetdir.sh (which adds
# the network ones), so that the two cannot drift apart.
menu_modules="normal configfile multiboot2 boot echo test all_video serial terminal
	sleep reboot halt chain"
