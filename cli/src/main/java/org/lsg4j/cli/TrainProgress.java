package org.lsg4j.cli;

import org.lsg4j.train.TrainingListener;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How {@code lsg train} reports on stderr: on a terminal, one bar redrawn after every step
 * (step, loss, tokens/s, ETA); otherwise a line every {@code logEvery} steps. Evaluations,
 * checkpoints and notices are lines in both cases (a bar in progress is ended first).
 */
final class TrainProgress implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintWriter err;
    private final boolean terminal;
    private final int logEvery;
    private boolean barShown;
    private long tokens;
    private double seconds;
    private int stepsThisRun;
    private double lossSum;
    private int lossCount;

    TrainProgress(PrintWriter err, boolean terminal, int logEvery) {
        this.err = err;
        this.terminal = terminal;
        this.logEvery = logEvery;
    }

    @Override
    public void message(String text) {
        line("lsg: warning: " + text);
    }

    @Override
    public void started(Plan p) {
        line(String.format(Locale.ROOT, "lsg: training on %,d examples (%,d inputs of up to %,d tokens)%s: steps %d to %d"
                        + " (%d per epoch), %,d of %,d parameters trainable", p.trainExamples(), p.trainFeatures(),
                p.maxLength(), p.evalExamples() > 0 ? String.format(Locale.ROOT, ", %,d held out", p.evalExamples()) : "",
                p.firstStep(), p.totalSteps(), p.stepsPerEpoch(), p.trainableParameters(), p.parameters()));
    }

    @Override
    public void stepped(Step s) {
        tokens += s.tokens();
        seconds += s.seconds();
        stepsThisRun++;
        if (Double.isFinite(s.loss())) {
            lossSum += s.loss();
            lossCount++;
        }
        double rate = seconds > 0 ? tokens / seconds : 0;
        double eta = seconds / stepsThisRun * (s.totalSteps() - s.step());
        if (terminal) {
            int filled = WIDTH * s.step() / s.totalSteps();
            err.printf(Locale.ROOT, "\rstep %d/%d [%s%s] loss %.4f | %,.0f tokens/s | ETA %s ", s.step(), s.totalSteps(),
                    "#".repeat(filled), " ".repeat(WIDTH - filled), s.loss(), rate, duration(eta));
            err.flush();
            barShown = true;
        } else if (s.step() % logEvery == 0 || s.step() == s.totalSteps()) {
            line(String.format(Locale.ROOT, "lsg: step %d/%d (epoch %.2f): loss %.4f, lr %.3g, grad_norm %.4g,"
                            + " %,.0f tokens/s, ETA %s", s.step(), s.totalSteps(), s.epoch(),
                    lossCount > 0 ? lossSum / lossCount : Double.NaN, s.learningRate(), s.gradNorm(), rate,
                    duration(eta)));
            lossSum = 0;
            lossCount = 0;
        }
    }

    @Override
    public void evaluated(int step, double epoch, Map<String, Double> metrics) {
        line(String.format(Locale.ROOT, "lsg: eval at step %d (epoch %.2f): %s", step, epoch,
                metrics.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", "))));
    }

    @Override
    public void saved(int step, Path folder) {
        line("lsg: saved " + folder);
    }

    /** Writes a line, after ending a bar in progress. */
    void line(String text) {
        if (barShown) {
            err.println();
            barShown = false;
        }
        err.println(text);
        err.flush();
    }

    /** 1h02m, 3m04s, 12s. */
    static String duration(double s) {
        long t = Math.round(s);
        if (t >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", t / 3600, t % 3600 / 60);
        }
        return t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }
}
