/* SPDX-License-Identifier: MIT */
/*
 * One record per CPU for the conformance rules' verdicts and observations
 * (kernel/vmx_selftest.c, kernel/svm_selftest.c). A run checks one vendor's
 * rules (selftest=vmxon, vmx or svm: one option, one value), so the two share
 * these records, in the pool (kernel/pool.h), and the kernel's memory grows by
 * the larger of the two, not their sum. Each user asserts that its record fits
 * and zeroes a CPU's before that CPU's rules run.
 */
#ifndef VMXPROBE_KERNEL_SELFTEST_POOL_H
#define VMXPROBE_KERNEL_SELFTEST_POOL_H

#define SELFTEST_RECORD_BYTES   (14 * 1024)

void *selftest_record(unsigned cpu);

#endif
