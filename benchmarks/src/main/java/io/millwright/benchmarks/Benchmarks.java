package io.millwright.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of the load drivers.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar journal [seconds]       journal vs raw MapDB vs MVStore
 * java -jar benchmarks/target/benchmarks.jar observability [seconds] [rounds]   ingest with observability on vs off
 * java -jar benchmarks/target/benchmarks.jar startup [runs] [jar]    gateway start to first committed sample, heap
 * java -jar benchmarks/target/benchmarks.jar auth [rounds] [jar]   cost of a login per request (token, Basic, session) and of a password login
 * java -jar benchmarks/target/benchmarks.jar uplink [broker]   uplink vs raw Paho; outage backlog drain
 * java -jar benchmarks/target/benchmarks.jar modbus [seconds]  driver register reads vs j2mod's raw master
 * java -jar benchmarks/target/benchmarks.jar opcua [seconds] [variables]  driver notifications vs a raw Milo subscription
 * java -Xmx1g -jar benchmarks/target/benchmarks.jar scoring [seconds] [assets] [hours]  features + Weka end to end, per score vs raw Weka, switch pause
 * java -Xmx1g -jar benchmarks/target/benchmarks.jar history   history queries (week of 1 Hz, year of rollups) vs a raw journal scan
 * java -Xmx1g -jar benchmarks/target/benchmarks.jar alarms [seconds]   alarm evaluation (10,000 definitions) vs a bare journal read; ingest with and without the engine
 * java -jar benchmarks/target/benchmarks.jar all
 * </pre>
 */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        String what = a.isEmpty() ? "all" : a.get(0);
        if (what.equals("journal") || what.equals("all")) {
            int seconds = a.size() > 1 && what.equals("journal") ? Integer.parseInt(a.get(1)) : 20;
            JournalBenchmark.run(seconds);
        }
        if (what.equals("history")) {
            HistoryBenchmark.run();
        }
        if (what.equals("alarms")) {
            AlarmBenchmark.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 20);
        }
        if (what.equals("disk-full")) {
            DiskFullBenchmark.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 30,
                    Path.of(a.size() > 2 ? a.get(2) : "distribution/target/millwright.jar"));
        }
        if (what.equals("crash-loop")) {
            CrashLoop.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 20,
                    Path.of(a.size() > 2 ? a.get(2) : "distribution/target/millwright.jar"));
        }
        if (what.equals("observability")) {
            ObservabilityBenchmark.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 15, a.size() > 2 ? Integer.parseInt(a.get(2)) : 3);
            return;
        }
        if (what.equals("journal-open")) {
            JournalOpenBenchmark.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 256);
        }
        if (what.equals("startup") || what.equals("all")) {
            int runs = a.size() > 1 && what.equals("startup") ? Integer.parseInt(a.get(1)) : 5;
            Path jar = Path.of(a.size() > 2 && what.equals("startup") ? a.get(2) : "distribution/target/millwright.jar");
            StartupBenchmark.run(runs, jar);
        }
        if (what.equals("auth")) {
            AuthBenchmark.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 10, Path.of(a.size() > 2 ? a.get(2) : "distribution/target/millwright.jar"));
        }
        if (what.equals("uplink")) {
            UplinkBenchmark.run(a.size() > 1 ? a.get(1) : "tcp://127.0.0.1:1883");
        }
        if (what.equals("modbus")) {
            ModbusBenchmark.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 10);
        }
        if (what.equals("write")) {
            WriteBenchmark.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 500);
        }
        if (what.equals("whatif")) {
            io.millwright.scoring.weka.internal.WhatIfBenchmark.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 10);
        }
        if (what.equals("opcua")) {
            OpcUaBenchmark.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 10, a.size() > 2 ? Integer.parseInt(a.get(2)) : 1000);
        }
        if (what.equals("scoring")) {
            io.millwright.scoring.weka.internal.ScoringBenchmark.run(a.size() > 1 ? Integer.parseInt(a.get(1)) : 10,
                    a.size() > 2 ? Integer.parseInt(a.get(2)) : 8, a.size() > 3 ? Integer.parseInt(a.get(3)) : 1);
        }
        if (!List.of("journal", "observability", "journal-open", "history", "alarms", "crash-loop", "disk-full", "startup", "auth", "uplink", "modbus", "write", "whatif", "opcua", "scoring", "all").contains(what)) {
            System.err.println("usage: benchmarks.jar journal [seconds] | observability [seconds] [rounds] | journal-open [MiB] | crash-loop [kills] [gateway jar] | disk-full [seconds] [gateway jar] | startup [runs] [gateway jar] | auth [rounds] [gateway jar] | uplink [broker URI] | modbus [seconds] | write [writes] | whatif [seconds]"
                    + " | opcua [seconds] [variables] | scoring [seconds] [assets] [hours] | history | alarms [seconds] | all");
            System.exit(2);
        }
    }
}
