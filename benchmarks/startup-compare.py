#!/usr/bin/env python3
# Process start -> first committed sample (the journal's "journal: first N samples committed" log line) of two gateway
# jars in the same run, alternating, each on a fresh data folder and then restarted on it. For comparing a change with
# the commit before it: build the older commit's distribution in a scratch clone (mvn -o -q package -DskipTests -pl
# distribution -am) and give both jars:  python3 benchmarks/startup-compare.py 5 OLD.jar NEW.jar
import subprocess, time, os, re, datetime, tempfile, socket, sys, statistics
def free():
    s=socket.socket(); s.bind(("127.0.0.1",0)); p=s.getsockname()[1]; s.close(); return p
def once(jar, data):
    os.makedirs(data, exist_ok=True)
    log=open(data+"/gateway.log","w")
    t0=time.time()
    p=subprocess.Popen(["java","-Xmx128m","-Dmillwright.data.dir="+data,"-Dfelix.cm.dir="+data+"/config","-Dmillwright.etc.dir="+data+"/etc",
        "-Dorg.osgi.service.http.port=%d"%free(),"-Dmillwright.https.port=%d"%free(),"-jar",jar],stdout=log,stderr=subprocess.STDOUT)
    t=None
    for _ in range(300):
        time.sleep(0.1)
        for line in open(data+"/gateway.log", errors="replace"):
            if "journal: first" in line and "committed" in line:
                ts=datetime.datetime.strptime(line[:23],"%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp()
                t=(ts-t0)*1000
        if t: break
    p.terminate(); p.wait()
    return t
jars={"first jar": sys.argv[2], "second jar": sys.argv[3]}
res={k:{"fresh":[],"restart":[]} for k in jars}
for i in range(int(sys.argv[1])):
    for k,j in jars.items():
        d=tempfile.mkdtemp(prefix="sb-")
        res[k]["fresh"].append(once(j,d))
        res[k]["restart"].append(once(j,d))
for k in jars:
    for kind in ("fresh","restart"):
        v=res[k][kind]; print("%-18s %-8s median %5.0f ms  %s" % (k, kind, statistics.median(v), [round(x) for x in v]))
